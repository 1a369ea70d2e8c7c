from django.urls import path

from leads import views
from parkportal.generic_views import object_urls

app_name = "leads"

urlpatterns = [
    path("clocks/", views.ClocksView.as_view(), name="clocks"),
    path("board/", views.LeadBoardView.as_view(), name="board"),
    *object_urls("", list_view=views.LeadListView, detail_view=views.LeadDetailView,
                 edit_view=views.LeadEditView),
    path("<int:pk>/followups/new/", views.FollowUpView.as_view(), name="followup_create"),
    path("<int:pk>/stage/", views.StageView.as_view(), name="stage"),
    path("<int:pk>/reassign/", views.ReassignView.as_view(), name="reassign"),
    path("<int:pk>/funds/new/", views.FundsView.as_view(), name="funds_create"),
    path("<int:pk>/land/", views.LandView.as_view(), name="land"),
]
