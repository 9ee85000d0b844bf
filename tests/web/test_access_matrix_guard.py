"""The access-control matrix guards itself: a URL added without a rule makes it fail.

test_access_matrix.py promises that its cases are generated from the URL configuration.
Here that promise is tested with a URL configuration that has one page more than the
project's (named, unnamed, and inside a namespace): the rule check must name it. And the
seven kinds of visitor really are seven different people in the relations the access
rules name.
"""

from __future__ import annotations

import pytest
import test_access_matrix as matrix
from django.http import HttpResponse
from django.test import override_settings
from django.urls import clear_url_caches, include, path
from web_base import ROLES

from verbind.accounts import permissions
from verbind.coaching import permissions as coach_permissions
from verbind.web import urls as project_urls


def _page(request):
    return HttpResponse("new page")


_extra_ns = ([path("report/", _page, name="report")], "reports")

# Module-level URL configurations the tests below switch to.
with_named_page = type("conf", (), {})
with_named_page.urlpatterns = [*project_urls.urlpatterns, path("new/", _page, name="new_page")]
with_unnamed_page = type("conf", (), {})
with_unnamed_page.urlpatterns = [*project_urls.urlpatterns, path("anonymous-view/", _page)]
with_namespaced_page = type("conf", (), {})
with_namespaced_page.urlpatterns = [*project_urls.urlpatterns, path("x/", include(_extra_ns))]


@pytest.fixture
def urlconf():
    def use(conf):
        clear_url_caches()
        return override_settings(ROOT_URLCONF=conf)

    yield use
    clear_url_caches()


def test_the_project_passes_the_rule_check():
    matrix.test_every_url_pattern_has_a_rule()


@pytest.mark.parametrize(
    ("conf", "reported"),
    [
        (with_named_page, "new_page"),
        (with_unnamed_page, "<unnamed /anonymous-view/>"),
        (with_namespaced_page, "reports:report"),
    ],
)
def test_a_new_url_without_a_rule_fails(urlconf, conf, reported):
    with urlconf(conf):
        assert reported in matrix.collect_url_names()
        with pytest.raises(AssertionError, match="without an access rule") as excinfo:
            matrix.test_every_url_pattern_has_a_rule()
    assert reported in str(excinfo.value)


def test_a_removed_url_with_a_stale_rule_fails(urlconf):
    fewer = type("conf", (), {})
    fewer.urlpatterns = [p for p in project_urls.urlpatterns if getattr(p, "name", None) != "tips"]
    with urlconf(fewer), pytest.raises(AssertionError, match="no longer exist"):
        matrix.test_every_url_pattern_has_a_rule()


def test_every_project_url_is_in_the_matrix_for_all_seven_visitors():
    names = matrix.collect_url_names()
    assert len(ROLES) == len(set(ROLES)) == 7
    assert set(names) == set(matrix.RULES)
    for name in names:
        assert set(matrix.RULES[name].expect) == set(ROLES), name


def test_the_seven_visitors_are_who_the_issue_names(people):
    users = [people.user(r) for r in ROLES if r != "anonymous"]
    assert len({u.pk for u in users}) == 6  # six different people, plus anonymous
    roles = {r: permissions.roles_of(people.user(r)) for r in ROLES if r != "anonymous"}
    assert roles["coach"].coach_of == roles["other_coach"].coach_of == people.org
    assert roles["foreign_coach"].coach_of == people.other_org != people.org
    assert roles["org_admin"].admin_of == people.org and not roles["org_admin"].is_coach
    for who in ("participant", "other_participant"):
        assert not roles[who].is_coach and not roles[who].is_org_admin
    # "their coach" coaches the participant; the others do not.
    assert people.assignment.coach == people.coach
    assert people.assignment.participant == people.participant
    assert people.other_assignment.coach == people.other_coach
    visible = coach_permissions.participants_for_coach
    assert people.participant in visible(people.coach, people.org)
    assert people.participant not in visible(people.other_coach, people.org)
    assert people.participant not in visible(people.foreign_coach, people.other_org)
