"""Edit forms of the talent pages; the services write them."""

from parkportal.forms import ServiceModelForm
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


class TalentForm(ServiceModelForm):
    park_scoped = {"employer": "park", "partner": "park", "innovation_center": "park"}

    class Meta:
        model = TalentIntroduction
        fields = ["person_name", "degree", "field", "mode", "employer", "partner",
                  "innovation_center", "introduced_on"]


class PartnerForm(ServiceModelForm):
    class Meta:
        model = PartnerOrganization
        fields = ["name", "location", "field", "joined_on", "notes"]


class CenterForm(ServiceModelForm):
    park_scoped = {"partner": "park"}

    class Meta:
        model = InnovationCenter
        fields = ["name", "kind", "city", "partner", "established_on"]
