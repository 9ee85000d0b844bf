"""A person's own account: log in, register, invitations, own data, coach access.

The namespace stays ``accounts`` (URL names such as ``accounts:home`` are used everywhere);
the patterns live here, above every app, because the pages gather from all of them."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from verbind.accounts import forms
from verbind.accounts import views as accounts_views
from verbind.participant import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        accounts_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=forms.LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=forms.ForgotPasswordForm,
            email_template_name="email/password_reset.txt",
            subject_template_name="email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_sent"),
            extra_email_context=None,
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=forms.NewPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # Changing the password while logged in: Django keeps this session; sessions on other
    # devices end, because they were signed with the old password.
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=forms.ChangePasswordForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("register/", views.register, name="register"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("coach/", views.my_coach, name="my_coach"),
    path("coach/<int:pk>/withdraw/", views.withdraw_coach, name="withdraw_coach"),
    path("coach/colleagues/", views.agree_colleagues, name="agree_colleagues"),
    path("coach/contact/", views.agree_contact, name="agree_contact"),
    path("coach/contact/stop/", views.withdraw_contact, name="withdraw_contact"),
    path("data/", views.my_data, name="my_data"),
    path("data/verbind-data.json", views.export_json, name="export_json"),
    path("data/verbind-measurements.csv", views.export_csv, name="export_csv"),
    path("data/verbind-course.csv", views.export_course_csv, name="export_course_csv"),
    path("delete/", views.delete_account, name="delete_account"),
]
