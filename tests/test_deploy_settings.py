"""The proxy settings deploy.md#proxy-headers shows do what the page says, in Django itself."""

import pytest
from django.core.exceptions import DisallowedHost
from django.test import RequestFactory, override_settings

from harness.paths import SNIPPETS
from harness.snippet_files import assigned_by


@pytest.fixture
def proxy_settings(django_settings):
    with override_settings(**assigned_by(SNIPPETS / "deploy" / "proxy_settings.txt")):
        yield


def test_a_request_the_proxy_marks_https_is_secure(proxy_settings):
    request = RequestFactory().get("/", headers={"X-Forwarded-Proto": "https"})
    assert request.is_secure()


def test_a_request_without_the_proxys_header_is_not_secure(proxy_settings):
    assert not RequestFactory().get("/").is_secure()


def test_the_host_comes_from_x_forwarded_host(proxy_settings):
    request = RequestFactory().get("/", headers={"X-Forwarded-Host": "shop.example.com"})
    assert request.get_host() == "shop.example.com"


def test_a_forwarded_host_outside_allowed_hosts_is_still_refused(proxy_settings):
    request = RequestFactory().get("/", headers={"X-Forwarded-Host": "evil.example"})
    with pytest.raises(DisallowedHost):
        request.get_host()
