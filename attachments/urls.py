from django.urls import path

from attachments import views

app_name = "attachments"

urlpatterns = [
    path("upload/<str:label>/<int:object_id>/", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.ServeView.as_view(), name="file"),
    path("<int:pk>/thumbnail/", views.ServeView.as_view(thumbnail=True), name="thumbnail"),
    path("<int:pk>/delete/", views.DeleteView.as_view(), name="delete"),
]
