"""The pure rules of the composed views: rounding of progress, the units' hierarchy, the feeds."""

from pathlib import Path

from gateway.read_models import units
from gateway.read_models.consistency import feed_of_source
from gateway.read_models.feeds import feeds
from gateway.read_models.views import progress

ROOT = Path(__file__).resolve().parents[4]


def test_the_gateway_units_file_is_the_registrys_generated_file_unchanged() -> None:
    registry = ROOT / "services/household-registry/src/household_registry/reference/administrative_units_backan.json"
    gateway = ROOT / "services/gateway/src/gateway/read_models/reference/administrative_units_backan.json"
    assert gateway.read_bytes() == registry.read_bytes()


def test_a_province_covers_its_108_communes_and_a_district_only_its_own() -> None:
    assert len(units.communes_of("06")) == 108
    assert "01837" in units.communes_of("058") and "02017" not in units.communes_of("058")
    assert units.communes_of("01837") == ["01837"]
    assert units.find("01837") is not None and units.find("01837").pilot  # type: ignore[union-attr]


def test_campaign_progress_is_a_percentage_with_two_decimals_and_zero_without_a_target() -> None:
    assert progress(205_000_000, 750_000_000) == 27.33
    assert progress(2, 400) == 0.5
    assert progress(5, 0) == 0.0


def test_a_consistency_token_names_the_feed_of_the_service_that_published_the_write() -> None:
    all_feeds = feeds(group_prefix="gw")
    assert feed_of_source(all_feeds, "household-registry").group_id == "gw.household"  # type: ignore[union-attr]
    assert feed_of_source(all_feeds, "someone-else") is None
