from django.urls import path

from contactsessions.monitoring.views import abstractions, compliance, exemptions, outcomes, roster, trial

app_name = "monitoring"

compliance_patterns = [
    path("", compliance.index, name="index"),
    path("london/", compliance.london, name="london"),
    path("boroughs/<str:code>/", compliance.borough, name="borough"),
    path("wards/<str:code>/", compliance.ward, name="ward"),
    path("ahead/", compliance.looking_ahead, name="looking-ahead"),
]

exemption_patterns = [
    path("exemptions/", exemptions.exemptions, name="exemptions"),
    path("exemptions/propose/", exemptions.exemption_propose_view, name="exemption-propose"),
    path("exemptions/<id:pk>/decide/", exemptions.exemption_decide_view, name="exemption-decide"),
    path("exemptions/london/declare/", exemptions.london_period_declare_view, name="london-period-declare"),
]

outcome_patterns = [
    path("outcomes/", outcomes.outcome_summary, name="outcome-summary"),
    path("outcomes/missing/", outcomes.outcome_reminders, name="outcome-reminders"),
    path("sessions/<id:pk>/outcome/", outcomes.outcome_record_view, name="outcome-record"),
    path("not-held/", abstractions.abstraction_log, name="abstraction-log"),
]

roster_patterns = [
    path("roster/", roster.roster, name="roster"),
    path("roster/assignments/<id:pk>/end/", roster.assignment_end_view, name="assignment-end"),
]

trial_patterns = [
    path("enhanced-trial/", trial.enhanced_trial, name="enhanced-trial"),
]

urlpatterns = compliance_patterns + exemption_patterns + outcome_patterns + roster_patterns + trial_patterns
