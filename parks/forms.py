from parkportal.forms import ServiceModelForm
from parks.models import ParkAnnualTarget


class ParkTargetForm(ServiceModelForm):
    class Meta:
        model = ParkAnnualTarget
        fields = ["year", "projects_planned", "total_investment", "annual_investment",
                  "industrial_investment", "major_preliminary_projects",
                  "major_preliminary_investment", "enterprises_to_introduce",
                  "talents_to_introduce", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the service says "cannot be negative"
            field.validators = [v for v in field.validators
                                if v.__class__.__name__ != "MinValueValidator"]
