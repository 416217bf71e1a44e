"""Each invariant of the campaign, one refusal at a time, and what a refusal leaves behind: nothing."""

from __future__ import annotations

import copy
import datetime as dt
import inspect

import pytest

from campaign_ledger.domain import errors
from campaign_ledger.domain.campaign import Campaign
from campaign_ledger.domain.commands import DeliverPhone, OpenCampaign, RecordPledge
from campaign_ledger.domain.donors import Donor, DonorKind
from campaign_ledger.domain.errors import (
    AlreadyDeliveredError,
    BlankFieldError,
    CampaignClosedError,
    CampaignLedgerError,
    CommuneNotServedError,
    HouseholdInOtherCommuneError,
    InsufficientCashError,
    InsufficientStockError,
    InvalidAmountError,
    InvalidCampaignError,
    InvalidDonorError,
    InvalidImeiError,
    InvalidInputError,
    StateConflictError,
    UnknownHouseholdError,
    UnknownPledgeError,
    WrongCampaignError,
)

SONG_CAU, QUANG_THUAN = "01837", "02017"
NOT_A_PILOT = "01840"
LAUNCH = dt.date(2023, 8, 11)


def opening(**overrides: object) -> OpenCampaign:
    fields: dict[str, object] = {
        "campaign_id": "c-1",
        "name": "Phổ cập điện thoại thông minh 2023",
        "start_date": LAUNCH,
        "end_date": dt.date(2023, 12, 31),
        "target_vnd": 750_000_000,
        "target_phones": 400,
        "commune_codes": (SONG_CAU, QUANG_THUAN),
    }
    return OpenCampaign(**(fields | overrides))  # type: ignore[arg-type]


def test_every_error_is_either_a_conflict_with_state_or_invalid_input() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, CampaignLedgerError)]
    leaves = [c for c in classes if c not in (CampaignLedgerError, InvalidInputError, StateConflictError)]

    assert leaves
    for error in leaves:
        assert issubclass(error, InvalidInputError) != issubclass(error, StateConflictError), error


def test_opening_a_campaign_records_its_targets_and_communes() -> None:
    campaign, events = Campaign.open(opening())

    assert len(events) == 1
    assert campaign.is_open
    assert campaign.version == 1
    assert campaign.commune_codes == (SONG_CAU, QUANG_THUAN)
    assert campaign == Campaign.replay(events)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"end_date": dt.date(2023, 8, 1)}, InvalidCampaignError),
        ({"commune_codes": ()}, InvalidCampaignError),
        ({"commune_codes": (SONG_CAU, SONG_CAU)}, InvalidCampaignError),
        ({"target_vnd": 0}, InvalidAmountError),
        ({"target_phones": -400}, InvalidAmountError),
        ({"target_vnd": 750_000_000.0}, InvalidAmountError),
        ({"name": "  "}, BlankFieldError),
    ],
)
def test_a_campaign_with_invalid_dates_targets_or_communes_is_not_opened(
    overrides: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        Campaign.open(opening(**overrides))


def test_a_command_for_another_campaign_is_refused(office) -> None:
    command = RecordPledge(
        campaign_id="someone-else", donor=Donor("Công ty A", DonorKind.ENTERPRISE), amount_vnd=1, date=LAUNCH
    )
    with pytest.raises(WrongCampaignError):
        office.campaign.record_pledge(command)


def test_a_named_donor_needs_a_name_but_an_anonymous_one_does_not(office) -> None:
    with pytest.raises(InvalidDonorError):
        office.pledge(Donor("  ", DonorKind.INDIVIDUAL), amount_vnd=500_000)
    assert office.pledge(Donor("", DonorKind.INDIVIDUAL, anonymous=True), amount_vnd=500_000) == "PL-0001"


@pytest.mark.parametrize(("amount_vnd", "phones"), [(0, 0), (-1_900_000, 0), (0, -1), (1_900_000.5, 0)])
def test_a_pledge_of_nothing_or_of_a_negative_or_fractional_amount_is_refused(
    office, amount_vnd: int, phones: int
) -> None:
    with pytest.raises(InvalidAmountError):
        office.pledge(amount_vnd=amount_vnd, phones=phones)


def test_a_closed_campaign_takes_no_receipt_and_no_pledge(office) -> None:
    office.close()

    with pytest.raises(CampaignClosedError):
        office.receive(reference="FT23120100001", amount_vnd=1_900_000)
    with pytest.raises(CampaignClosedError):
        office.pledge(amount_vnd=1_900_000)
    with pytest.raises(CampaignClosedError):
        office.close()


def test_a_closed_campaign_still_buys_allocates_and_delivers_what_it_raised(office) -> None:
    office.receive(reference="FT23081100001", amount_vnd=1_900_000)
    office.close()

    office.buy(amount_vnd=1_900_000, phones=1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "hh-1")

    assert office.statement().phones_delivered == 1


def test_a_receipt_for_an_unknown_pledge_is_refused(office) -> None:
    with pytest.raises(UnknownPledgeError):
        office.receive(amount_vnd=1_900_000, pledge_id="PL-0042")


def test_a_receipt_needs_its_bank_or_delivery_note_reference(office) -> None:
    with pytest.raises(BlankFieldError):
        office.receive(reference=" ", amount_vnd=1_900_000)


def test_no_purchase_beyond_the_cash_held(office) -> None:
    office.receive(amount_vnd=3_000_000)

    with pytest.raises(InsufficientCashError):
        office.buy(amount_vnd=3_800_000, phones=2)
    office.buy(amount_vnd=3_000_000, phones=1)
    assert office.campaign.cash_vnd == 0


def test_a_purchase_needs_money_phones_and_a_supplier(office) -> None:
    office.receive(amount_vnd=3_800_000)
    with pytest.raises(InvalidAmountError):
        office.buy(amount_vnd=3_800_000, phones=0)
    with pytest.raises(BlankFieldError):
        office.buy(amount_vnd=3_800_000, phones=2, supplier="")


def test_no_allocation_beyond_central_stock(office) -> None:
    office.stock_phones(3)

    with pytest.raises(InsufficientStockError):
        office.allocate(SONG_CAU, 4)
    office.allocate(SONG_CAU, 3)
    assert office.campaign.central_stock == 0


def test_phones_are_allocated_only_to_the_campaigns_communes(office) -> None:
    office.stock_phones(3)
    with pytest.raises(CommuneNotServedError):
        office.allocate(NOT_A_PILOT, 1)


def test_no_delivery_beyond_a_communes_stock(office) -> None:
    office.stock_phones(2)
    office.allocate(SONG_CAU, 1)

    office.deliver(SONG_CAU, "hh-1")
    with pytest.raises(InsufficientStockError):
        office.deliver(SONG_CAU, "hh-2")
    # Phones in central stock or another commune's stock do not count for this commune.
    assert office.campaign.central_stock == 1


def test_no_second_phone_to_the_same_household_in_one_campaign(office) -> None:
    office.stock_phones(2)
    office.allocate(SONG_CAU, 2)
    office.deliver(SONG_CAU, "hh-1")

    with pytest.raises(AlreadyDeliveredError):
        office.deliver(SONG_CAU, "hh-1")


def test_no_delivery_to_a_household_the_registry_never_published(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)

    with pytest.raises(UnknownHouseholdError):
        office.deliver(SONG_CAU, "hh-never-registered", household_commune=None)


def test_no_delivery_to_a_household_that_lives_in_another_commune(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)

    with pytest.raises(HouseholdInOtherCommuneError):
        office.deliver(SONG_CAU, "hh-1", household_commune=QUANG_THUAN)


def test_a_delivery_is_refused_with_an_imei_that_is_not_15_digits(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)
    command = DeliverPhone(
        campaign_id=office.campaign.campaign_id,
        commune_code=SONG_CAU,
        household_id="hh-1",
        household_commune=SONG_CAU,
        imei="35-209900-176148",
        date=LAUNCH,
    )
    with pytest.raises(InvalidImeiError):
        office.campaign.deliver_phone(command)


def test_a_delivery_is_to_one_of_the_campaigns_communes(office) -> None:
    with pytest.raises(CommuneNotServedError):
        office.deliver(NOT_A_PILOT, "hh-1")


def test_a_refused_command_changes_nothing(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "hh-1")
    before = copy.deepcopy(office.campaign)

    refusals = [
        lambda: office.buy(amount_vnd=1, phones=1),
        lambda: office.allocate(SONG_CAU, 1),
        lambda: office.deliver(SONG_CAU, "hh-1"),
        lambda: office.reverse("JE-000042"),
    ]
    for refuse in refusals:
        with pytest.raises(CampaignLedgerError):
            refuse()

    assert office.campaign == before
    assert office.campaign == Campaign.replay(office.events)
