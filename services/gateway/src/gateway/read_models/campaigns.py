"""The campaign family: campaigns and their facts from `campaign.events.v1`, and the statement as queries.

A fact (pledge, receipt, purchase, allocation, delivery) is a row keyed by its id; a reversal is a row of its
own naming the fact it cancels, and every query counts only the facts no reversal names. So the order the
events arrive in, and how often, never changes a figure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from backan_shared.contracts import campaign as contract
from backan_shared.logs import get_logger
from gateway.read_models.handling import Handlers, Write, write

log = get_logger(__name__)


def campaign_opened(event: contract.CampaignOpened, _time: datetime) -> Write:
    """A campaign's name, targets and communes (a closure seen first keeps its date)."""
    return write(
        """INSERT INTO campaigns (campaign_id, name, target_vnd, target_phones, commune_codes, start_date, end_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (campaign_id) DO UPDATE SET name = EXCLUDED.name, target_vnd = EXCLUDED.target_vnd,
               target_phones = EXCLUDED.target_phones, commune_codes = EXCLUDED.commune_codes,
               start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date""",
        event.campaign_id,
        event.name,
        event.target_vnd,
        event.target_phones,
        event.commune_codes,
        event.start_date,
        event.end_date,
    )


def campaign_closed(event: contract.CampaignClosed, _time: datetime) -> Write:
    """Fundraising ended on `closed_on`."""
    return write(
        """INSERT INTO campaigns (campaign_id, closed_on) VALUES ($1, $2)
           ON CONFLICT (campaign_id) DO UPDATE SET closed_on = EXCLUDED.closed_on""",
        event.campaign_id,
        event.closed_on,
    )


def _fact(campaign_id: str, kind: str, fact_id: str, **columns: Any) -> Write:
    # A fact never changes once recorded (corrections are reversals), so a repeat is simply ignored.
    names = ["campaign_id", "kind", "fact_id", *columns]
    placeholders = ", ".join(f"${n}" for n in range(1, len(names) + 1))
    return write(
        f"INSERT INTO campaign_facts ({', '.join(names)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",
        campaign_id,
        kind,
        fact_id,
        *columns.values(),
    )


def pledge_recorded(event: contract.PledgeRecorded, _time: datetime) -> Write:
    """A donor's promise, under the donor's public name."""
    return _fact(
        event.campaign_id,
        "pledge",
        event.pledge_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        donor_name=event.donor_name,
        donor_kind=event.donor_kind,
    )


def donation_received(event: contract.DonationReceived, _time: datetime) -> Write:
    """Money or phones received, against a pledge or not."""
    return _fact(
        event.campaign_id,
        "receipt",
        event.receipt_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        pledge_id=event.pledge_id,
        donor_name=event.donor_name,
        donor_kind=event.donor_kind,
    )


def phones_purchased(event: contract.PhonesPurchased, _time: datetime) -> Write:
    """Cash turned into phones."""
    return _fact(event.campaign_id, "purchase", event.purchase_id, amount_vnd=event.amount_vnd, phones=event.phones)


def phones_allocated(event: contract.PhonesAllocated, _time: datetime) -> Write:
    """Phones moved to a commune's stock."""
    return _fact(
        event.campaign_id, "allocation", event.allocation_id, phones=event.phones, commune_code=event.commune_code
    )


def phone_delivered(event: contract.PhoneDelivered, _time: datetime) -> Write:
    """One phone handed to a household of a commune (the household itself is not kept)."""
    return _fact(event.campaign_id, "delivery", event.delivery_id, phones=1, commune_code=event.commune_code)


def entry_reversed(event: contract.EntryReversed, _time: datetime) -> Write | None:
    """Cancel the fact the reversed entry recorded."""
    if event.reversed_kind is None or event.reference is None:
        # Without them the gateway cannot tell which fact to cancel; the ledger's own statement still can.
        log.warning("reversal without the fact it cancels; ignored", entry_id=event.entry_id)
        return None
    return write(
        """INSERT INTO campaign_reversals (campaign_id, kind, reference, entry_id, reversed_entry_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        event.campaign_id,
        event.reversed_kind,
        event.reference,
        event.entry_id,
        event.reversed_entry_id,
    )


HANDLERS: Handlers = {
    contract.CampaignOpened: campaign_opened,
    contract.CampaignClosed: campaign_closed,
    contract.PledgeRecorded: pledge_recorded,
    contract.DonationReceived: donation_received,
    contract.PhonesPurchased: phones_purchased,
    contract.PhonesAllocated: phones_allocated,
    contract.PhoneDelivered: phone_delivered,
    contract.EntryReversed: entry_reversed,
}

# The facts no reversal cancels, of one campaign ($1) or of all campaigns ($1 null).
_STANDING_FACTS = """
    standing AS (
        SELECT f.* FROM campaign_facts f
        WHERE ($1::text IS NULL OR f.campaign_id = $1)
          AND NOT EXISTS (SELECT 1 FROM campaign_reversals r
                          WHERE r.campaign_id = f.campaign_id AND r.kind = f.kind AND r.reference = f.fact_id))"""

_TOTALS = f"""
    WITH {_STANDING_FACTS},
    sums AS (
        SELECT coalesce(sum(amount_vnd) FILTER (WHERE kind = 'pledge'), 0)::bigint AS pledged_vnd,
               coalesce(sum(phones) FILTER (WHERE kind = 'pledge'), 0)::bigint AS phones_pledged,
               coalesce(sum(amount_vnd) FILTER (WHERE kind = 'receipt'), 0)::bigint AS received_vnd,
               coalesce(sum(phones) FILTER (WHERE kind = 'receipt'), 0)::bigint AS phones_received,
               coalesce(sum(amount_vnd) FILTER (WHERE kind = 'purchase'), 0)::bigint AS spent_vnd,
               coalesce(sum(phones) FILTER (WHERE kind = 'purchase'), 0)::bigint AS phones_purchased,
               coalesce(sum(phones) FILTER (WHERE kind = 'allocation'), 0)::bigint AS phones_allocated,
               count(*) FILTER (WHERE kind = 'delivery') AS phones_delivered
        FROM standing)
    SELECT *, received_vnd - spent_vnd AS cash_vnd,
           phones_received + phones_purchased - phones_delivered AS phones_in_stock
    FROM sums"""


async def campaign(conn: asyncpg.Connection, campaign_id: str) -> asyncpg.Record | None:
    """The campaign as opened, or None until its CampaignOpened has been applied."""
    return await conn.fetchrow("SELECT * FROM campaigns WHERE campaign_id = $1 AND name IS NOT NULL", campaign_id)


async def totals(conn: asyncpg.Connection, campaign_id: str | None = None) -> asyncpg.Record:
    """Money and phones of one campaign, or of every campaign when `campaign_id` is None."""
    row = await conn.fetchrow(_TOTALS, campaign_id)
    assert row is not None  # an aggregate always answers one row
    return row


async def campaign_count(conn: asyncpg.Connection) -> int:
    """How many campaigns have been opened."""
    return int(await conn.fetchval("SELECT count(*) FROM campaigns WHERE name IS NOT NULL"))


async def by_commune(conn: asyncpg.Connection, campaign_id: str) -> list[asyncpg.Record]:
    """Phones allocated to and delivered in each commune the campaign serves, in the campaign's order."""
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""WITH {_STANDING_FACTS}
            SELECT c.code AS commune_code,
                   coalesce(sum(s.phones) FILTER (WHERE s.kind = 'allocation'), 0)::bigint AS phones_allocated,
                   count(s.fact_id) FILTER (WHERE s.kind = 'delivery') AS phones_delivered
            FROM campaigns, unnest(campaigns.commune_codes) WITH ORDINALITY AS c(code, position)
            LEFT JOIN standing s ON s.commune_code = c.code
            WHERE campaigns.campaign_id = $1
            GROUP BY c.code, c.position ORDER BY c.position""",
        campaign_id,
    )
    return rows


async def by_donor(conn: asyncpg.Connection, campaign_id: str) -> list[asyncpg.Record]:
    """What each public donor pledged and gave: a receipt counts for the donor of the pledge it fulfils, or,
    fulfilling none, for the public donor it names."""
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""WITH {_STANDING_FACTS},
            donors AS (SELECT fact_id, donor_name, donor_kind FROM campaign_facts
                       WHERE campaign_id = $1 AND kind = 'pledge')
            SELECT coalesce(d.donor_name, s.donor_name) AS donor, coalesce(d.donor_kind, s.donor_kind) AS kind,
                   coalesce(sum(s.amount_vnd) FILTER (WHERE s.kind = 'pledge'), 0)::bigint AS pledged_vnd,
                   coalesce(sum(s.phones) FILTER (WHERE s.kind = 'pledge'), 0)::bigint AS pledged_phones,
                   coalesce(sum(s.amount_vnd) FILTER (WHERE s.kind = 'receipt'), 0)::bigint AS received_vnd,
                   coalesce(sum(s.phones) FILTER (WHERE s.kind = 'receipt'), 0)::bigint AS received_phones
            FROM standing s
            LEFT JOIN donors d ON d.fact_id = CASE WHEN s.kind = 'pledge' THEN s.fact_id ELSE s.pledge_id END
            WHERE s.kind IN ('pledge', 'receipt')
            GROUP BY 1, 2""",
        campaign_id,
    )
    return rows


async def commune_phones(conn: asyncpg.Connection, commune_code: str) -> asyncpg.Record:
    """Phones allocated to and delivered in one commune, across every campaign, and how many campaigns serve it."""
    row = await conn.fetchrow(
        f"""WITH {_STANDING_FACTS}
            SELECT (SELECT count(*) FROM campaigns WHERE $2 = ANY(commune_codes)) AS campaigns,
                   coalesce(sum(phones) FILTER (WHERE kind = 'allocation'), 0)::bigint AS phones_allocated,
                   count(*) FILTER (WHERE kind = 'delivery') AS phones_delivered
            FROM standing WHERE commune_code = $2""",
        None,
        commune_code,
    )
    assert row is not None
    return row
