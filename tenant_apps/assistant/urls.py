from django.urls import path

from . import views

urlpatterns = [
    path("deals/<int:pk>/analysis/refresh/", views.deal_analysis_refresh_view, name="deal_analysis_refresh"),
]
