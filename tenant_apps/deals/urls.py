from django.urls import path

from . import views

urlpatterns = [
    path("", views.deal_list, name="deal_list"),
    path("board/", views.deal_board_view, name="deal_board"),
    path("board/stage/<int:stage_id>/more/", views.deal_board_more, name="deal_board_more"),
    path("new/", views.deal_new, name="deal_new"),
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
    path("<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("<int:pk>/quick-edit/", views.deal_quick_edit, name="deal_quick_edit"),
    path("<int:pk>/move/", views.deal_move_view, name="deal_move"),
    path("<int:pk>/won/", views.deal_won, name="deal_won"),
    path("<int:pk>/lost/", views.deal_lost, name="deal_lost"),
    path("<int:pk>/reopen/", views.deal_reopen_view, name="deal_reopen"),
    path("<int:pk>/delete/", views.deal_delete_view, name="deal_delete"),
]
