from django.urls import path

from contactsessions.views import monitoring

compliance_patterns = [
    path("", monitoring.index, name="index"),
    path("london/", monitoring.london, name="london"),
    path("boroughs/<str:code>/", monitoring.borough, name="borough"),
    path("wards/<str:code>/", monitoring.ward, name="ward"),
    path("ahead/", monitoring.looking_ahead, name="looking-ahead"),
]

exemption_patterns = [
    path("exemptions/", monitoring.exemptions, name="exemptions"),
    path("exemptions/propose/", monitoring.exemption_propose_view, name="exemption-propose"),
    path("exemptions/<int:pk>/decide/", monitoring.exemption_decide_view, name="exemption-decide"),
]

outcome_patterns = [
    path("outcomes/", monitoring.outcome_summary, name="outcome-summary"),
    path("outcomes/missing/", monitoring.outcome_reminders, name="outcome-reminders"),
    path("sessions/<int:pk>/outcome/", monitoring.outcome_record_view, name="outcome-record"),
]

roster_patterns = [
    path("roster/", monitoring.roster, name="roster"),
    path("roster/assignments/<int:pk>/end/", monitoring.assignment_end_view, name="assignment-end"),
]

urlpatterns = compliance_patterns + exemption_patterns + outcome_patterns + roster_patterns
