"""Reading the campaign family's read models: a campaign, its totals, its communes and donors, a commune's phones.

Every query counts only the facts no reversal names (see `gateway.projections.campaigns`).
"""

from __future__ import annotations

import asyncpg

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
