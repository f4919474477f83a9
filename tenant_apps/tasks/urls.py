from django.urls import path

from . import views

urlpatterns = [
    path("", views.task_list_mine, name="task_list"),
    path("today/", views.task_list_today, name="task_list_today"),
    path("overdue/", views.task_list_overdue, name="task_list_overdue"),
    path("upcoming/", views.task_list_upcoming, name="task_list_upcoming"),
    path("done/", views.task_list_done, name="task_list_done"),
    path("all/", views.task_list_all, name="task_list_all"),
    path("export/<str:scope>/", views.task_list_export_view, name="task_list_export"),
    path("new/", views.task_create_view, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views.task_edit_view, name="task_edit"),
    path("<int:pk>/complete/", views.task_complete_view, name="task_complete"),
    path("<int:pk>/reopen/", views.task_reopen_view, name="task_reopen"),
    path("<int:pk>/delete/", views.task_delete_view, name="task_delete"),
]
