import gc

from backan_shared.garbage_collection import YOUNG_COLLECTION_EVERY, tune_for_a_long_running_service


def test_a_started_service_freezes_what_it_started_with_and_collects_young_objects_less_often() -> None:
    tune_for_a_long_running_service()
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY
    assert gc.get_freeze_count() > 0, "the objects alive at startup are out of every collection"
