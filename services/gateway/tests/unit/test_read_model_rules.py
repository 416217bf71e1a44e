"""The pure rules of the composed views: rounding of progress, the feeds."""

from gateway.projections.feeds import feeds
from gateway.queries.consistency import feed_of_source
from gateway.queries.views import progress


def test_campaign_progress_is_a_percentage_with_two_decimals_and_zero_without_a_target() -> None:
    assert progress(205_000_000, 750_000_000) == 27.33
    assert progress(2, 400) == 0.5
    assert progress(5, 0) == 0.0


def test_a_consistency_token_names_the_feed_of_the_service_that_published_the_write() -> None:
    all_feeds = feeds(group_prefix="gw")
    assert feed_of_source(all_feeds, "household-registry").group_id == "gw.household"  # type: ignore[union-attr]
    assert feed_of_source(all_feeds, "someone-else") is None
