"""The README documents every configuration variable the code reads."""

from pathlib import Path

from backan_shared.settings import ServiceSettings

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_the_readme_opens_with_the_two_commands() -> None:
    head = README[:800]
    assert "./dx up" in head and "./dx test" in head


def test_every_service_setting_is_in_the_configuration_table() -> None:
    from campaign_ledger.settings import Settings as CampaignSettings
    from dti_scoring.settings import Settings as DtiSettings
    from gateway.settings import Settings as GatewaySettings
    from household_registry.settings import Settings as HouseholdSettings

    fields = set(ServiceSettings.model_fields)
    for settings in (CampaignSettings, DtiSettings, GatewaySettings, HouseholdSettings):
        fields |= set(settings.model_fields)
    missing = [name.upper() for name in sorted(fields) if name.upper() not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_every_variable_the_harness_reads_is_in_the_configuration_table() -> None:
    import re

    harness = Path(__file__).parents[1] / "harness" / "src" / "harness"
    variables = set()
    for source in harness.glob("*.py"):
        variables |= set(re.findall(r'environ(?:\.get)?\(\s*"([A-Z_]+)"', source.read_text()))
        variables |= set(re.findall(r'_port\("([A-Z_]+)"', source.read_text()))
    internal = {"DX_TEST_POSTGRES_URL"}
    missing = sorted(v for v in variables - internal if v not in README)
    assert not missing, f"undocumented variables: {missing}"
