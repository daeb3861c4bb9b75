import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Finance tables.
 *
 * Ledger (public blockchain data). The big tables (btc_transactions, btc_inputs, btc_outputs) carry the
 * block height as the first column of their primary key and are declared PARTITION BY RANGE (height) with
 * a default partition, so an operator adds height ranges (`create table btc_outputs_800k partition of
 * btc_outputs for values from (800000) to (900000)`) without touching the code. Hot paths never join
 * across partitions: an input stores the height of the output it spends (prev_height) plus that output's
 * address and value (denormalised at import), and an output stores the height and txid of its spender, so
 * every lookup names its partition. `btc_tx_heights` is the one global index (txid → height), used only to
 * resolve a spent outpoint at import and a txid given by a user.
 *
 * account_transfers (ETH/TRON token transfers) are keyed by (chain, block, hash, log_index): partitionable
 * by block (range) or chain (list).
 *
 * addresses gives every address a dense integer id in order of first appearance; address_clusters maps
 * each id to its cluster id (the smallest address id of the cluster, as AddressClusterer defines it) and
 * cluster_merges logs every union.
 */
export const financeMigrations: Record<string, Migration> = {
  '2026_11_21_0500_finance_ledger': {
    async up(db: Kysely<unknown>) {
      await sql`create table addresses (
        id int primary key,
        chain text not null constraint addresses_chain_check check (chain in ('btc', 'eth', 'tron')),
        address text not null,
        constraint addresses_unique unique (chain, address)
      )`.execute(db);
      await sql`create table address_clusters (
        address_id int primary key,
        cluster_id int not null
      )`.execute(db);
      await sql`create index address_clusters_cluster_idx on address_clusters(cluster_id)`.execute(db);
      await sql`create table cluster_merges (
        id bigint generated always as identity primary key,
        survivor int not null,
        absorbed int not null,
        height int,
        txid text,
        merged_at timestamptz not null
      )`.execute(db);
      await sql`create index cluster_merges_absorbed_idx on cluster_merges(absorbed)`.execute(db);
      await sql`create index cluster_merges_survivor_idx on cluster_merges(survivor)`.execute(db);

      await sql`create table btc_blocks (
        height int not null,
        hash text not null,
        prev_hash text not null,
        time bigint not null,
        tx_count int not null,
        size int not null,
        weight int not null,
        imported_at timestamptz not null,
        primary key (height, hash)
      )`.execute(db);
      await sql`create unique index btc_blocks_hash_idx on btc_blocks(hash)`.execute(db);
      await sql`create table btc_tx_heights (
        txid text primary key,
        height int not null
      )`.execute(db);
      await sql`create table btc_transactions (
        height int not null,
        txid text not null,
        tx_index int not null,
        time bigint not null,
        input_count int not null,
        output_count int not null,
        coinbase boolean not null,
        coinjoin boolean not null,
        primary key (height, txid)
      ) partition by range (height)`.execute(db);
      await sql`create table btc_transactions_default partition of btc_transactions default`.execute(db);
      await sql`create table btc_inputs (
        height int not null,
        txid text not null,
        vin int not null,
        prev_txid text not null,
        prev_vout bigint not null,
        prev_height int,
        address_id int,
        value bigint,
        coinbase boolean not null,
        primary key (height, txid, vin)
      ) partition by range (height)`.execute(db);
      await sql`create table btc_inputs_default partition of btc_inputs default`.execute(db);
      await sql`create index btc_inputs_address_idx on btc_inputs(address_id, height)`.execute(db);
      await sql`create table btc_outputs (
        height int not null,
        txid text not null,
        vout int not null,
        address_id int,
        value bigint not null,
        script_type text not null,
        spent_height int,
        spent_txid text,
        spent_vin int,
        primary key (height, txid, vout)
      ) partition by range (height)`.execute(db);
      await sql`create table btc_outputs_default partition of btc_outputs default`.execute(db);
      await sql`create index btc_outputs_address_idx on btc_outputs(address_id, height)`.execute(db);

      await sql`create table account_transfers (
        chain text not null constraint account_transfers_chain_check check (chain in ('eth', 'tron')),
        block bigint not null,
        hash text not null,
        log_index int not null,
        from_id int not null,
        to_id int not null,
        token text not null,
        amount numeric not null constraint account_transfers_amount_check check (amount >= 0),
        time timestamptz not null,
        imported_at timestamptz not null,
        primary key (chain, block, hash, log_index)
      )`.execute(db);
      await sql`create index account_transfers_from_idx on account_transfers(from_id, time)`.execute(db);
      await sql`create index account_transfers_to_idx on account_transfers(to_id, time)`.execute(db);
    },
  },
  '2026_11_21_0501_finance_tags_watches': {
    async up(db: Kysely<unknown>) {
      // Tags are shared data: marking + owner organisation + author + distribution scopes (access module),
      // filtered with access.visibleTo like items.
      await sql`create table finance_tags (
        id uuid primary key,
        address_id int,
        cluster_id int,
        label text not null,
        category text,
        abuse text,
        source text,
        confidence text,
        is_cluster_definer boolean not null default false,
        context text,
        lastmod text,
        tagpack text,
        owner_org_id uuid not null,
        author_id uuid not null,
        tlp text not null constraint finance_tags_tlp_check check (tlp in ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        handling_code text constraint finance_tags_handling_check check (handling_code in ('H0', 'H1', 'H2', 'H3')),
        created_at timestamptz not null,
        constraint finance_tags_target_check check ((address_id is null) <> (cluster_id is null))
      )`.execute(db);
      await sql`create index finance_tags_address_idx on finance_tags(address_id)`.execute(db);
      await sql`create index finance_tags_cluster_idx on finance_tags(cluster_id)`.execute(db);
      // Watches and alerts belong to one organisation; nobody else sees them.
      await sql`create table finance_watches (
        id uuid primary key,
        org_id uuid not null,
        created_by uuid not null,
        address_id int,
        cluster_id int,
        note text not null default '',
        created_at timestamptz not null,
        constraint finance_watches_target_check check ((address_id is null) <> (cluster_id is null))
      )`.execute(db);
      await sql`create index finance_watches_org_idx on finance_watches(org_id, created_at desc)`.execute(db);
      await sql`create index finance_watches_address_idx on finance_watches(address_id)`.execute(db);
      await sql`create index finance_watches_cluster_idx on finance_watches(cluster_id)`.execute(db);
      await sql`create table finance_alerts (
        id uuid primary key,
        org_id uuid not null,
        watch_id uuid not null constraint finance_alerts_watch_fk references finance_watches(id) on delete cascade,
        direction text not null constraint finance_alerts_direction_check check (direction in ('inbound', 'outbound')),
        chain text not null,
        address_id int not null,
        txid text not null,
        height bigint,
        amount numeric not null,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create index finance_alerts_org_idx on finance_alerts(org_id, created_at desc)`.execute(db);
    },
  },
  '2026_11_22_0500_finance_alert_sharing': {
    async up(db: Kysely<unknown>) {
      // A watch may ask for a sharing item per alert, published by the watching organisation with this
      // marking (and to this community); the alert keeps the id of the item it produced.
      await sql`alter table finance_watches
        add column share_tlp text constraint finance_watches_share_tlp_check
          check (share_tlp in ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        add column share_community_id uuid`.execute(db);
      await sql`alter table finance_alerts add column item_id uuid`.execute(db);
    },
  },
  '2026_11_22_0501_finance_payments': {
    async up(db: Kysely<unknown>) {
      // Payment records (financial-intelligence data) belong to the importing organisation only. Names are
      // stored as given and folded (for search); IBANs in their canonical electronic form.
      await sql`create table finance_payments (
        id uuid primary key,
        org_id uuid not null,
        batch_id uuid not null,
        row_number int not null,
        date date not null,
        amount numeric not null constraint finance_payments_amount_check check (amount >= 0),
        currency text not null,
        payer_name text not null,
        payer_name_folded text not null,
        payer_iban text not null,
        payee_name text not null,
        payee_name_folded text not null,
        payee_iban text not null,
        reference text not null default '',
        imported_by uuid not null,
        imported_at timestamptz not null
      )`.execute(db);
      await sql`create index finance_payments_org_date_idx on finance_payments(org_id, date desc)`.execute(
        db,
      );
      await sql`create index finance_payments_payer_iban_idx on finance_payments(org_id, payer_iban)`.execute(
        db,
      );
      await sql`create index finance_payments_payee_iban_idx on finance_payments(org_id, payee_iban)`.execute(
        db,
      );
      await sql`create index finance_payments_payer_name_idx on finance_payments using gin (payer_name_folded gin_trgm_ops)`.execute(
        db,
      );
      await sql`create index finance_payments_payee_name_idx on finance_payments using gin (payee_name_folded gin_trgm_ops)`.execute(
        db,
      );
    },
  },
  '2026_11_22_0700_finance_change_links': {
    async up(db: Kysely<unknown>) {
      // One-time-change links (change-links.ts), kept apart from the multi-input clusters. An address is
      // "first seen" once, so it is the change of at most one link. A link revoked when its change address
      // received again stays, with the revoking transaction.
      await sql`create table finance_change_links (
        change_address_id int primary key,
        spender_address_id int not null,
        txid text not null,
        height int not null,
        confidence double precision not null
          constraint finance_change_links_confidence_check check (confidence > 0 and confidence <= 1),
        criteria text[] not null,
        heuristic text not null,
        revoked_txid text,
        revoked_height int,
        found_at timestamptz not null
      )`.execute(db);
      await sql`create index finance_change_links_spender_idx on finance_change_links(spender_address_id)`.execute(
        db,
      );
      await sql`create index finance_change_links_txid_idx on finance_change_links(txid)`.execute(db);
    },
  },
};
