from parkportal.forms import ServiceModelForm
from parks.models import Park, ParkAnnualTarget


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


class ParkSettingsForm(ServiceModelForm):
    class Meta:
        model = Park
        fields = ["report_due_day"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["report_due_day"]  # the service says "from 1 to 28"
        field.validators = []
        field.widget.attrs.pop("min", None)
        field.widget.attrs.pop("max", None)
