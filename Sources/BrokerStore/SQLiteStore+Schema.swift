internal import GRDB

extension SQLiteStore {
    /// Schema migrations, applied in order and recorded in `grdb_migrations`. Never edit a
    /// shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-catalogue-and-decisions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE providers (
                        id TEXT PRIMARY KEY NOT NULL,
                        display_name TEXT NOT NULL,
                        wire_format TEXT NOT NULL,
                        base_url TEXT NOT NULL,
                        credentials_kind TEXT NOT NULL,      -- none | env | file
                        credentials_ref TEXT,                -- a variable name or path, never a secret
                        region TEXT NOT NULL,
                        residency TEXT NOT NULL,
                        retention_days INTEGER,
                        trains_on_data INTEGER NOT NULL,
                        max_data_class TEXT NOT NULL,
                        enabled INTEGER NOT NULL
                    );
                    CREATE TABLE models (
                        id TEXT PRIMARY KEY NOT NULL,
                        family TEXT NOT NULL,
                        quality INTEGER,
                        quality_source TEXT,
                        capabilities TEXT NOT NULL,          -- comma-separated names
                        advertised_context INTEGER NOT NULL,
                        effective_context INTEGER NOT NULL,
                        max_output INTEGER NOT NULL
                    );
                    -- No foreign keys to providers or models: imported offers of hosts the
                    -- catalogue does not route to are kept for price history and replay.
                    CREATE TABLE offers (
                        provider TEXT NOT NULL,
                        model TEXT NOT NULL,
                        upstream_model TEXT NOT NULL,
                        context_limit INTEGER,
                        capabilities TEXT,
                        enabled INTEGER NOT NULL,
                        self_hosted TEXT,                    -- JSON hardware cost, for local offers
                        PRIMARY KEY (provider, model)
                    );
                    -- Append-only. Prices in nano-USD per Mtok: NULL unknown, 0 explicitly free.
                    CREATE TABLE price_versions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        provider TEXT NOT NULL,
                        model TEXT NOT NULL,
                        effective_at INTEGER NOT NULL,       -- unix seconds
                        input_nusd INTEGER,
                        cached_input_nusd INTEGER,
                        output_nusd INTEGER,
                        tiers TEXT NOT NULL DEFAULT '[]',    -- JSON long-context tiers
                        source TEXT NOT NULL,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX price_versions_by_offer ON price_versions (provider, model, effective_at);
                    CREATE INDEX price_versions_by_date ON price_versions (effective_at);
                    CREATE TABLE policies (
                        id TEXT PRIMARY KEY NOT NULL,
                        description TEXT NOT NULL,
                        min_quality INTEGER,
                        capabilities TEXT NOT NULL,
                        data_class TEXT NOT NULL,
                        allowed_providers TEXT,              -- comma-separated, NULL for any
                        allowed_regions TEXT,
                        max_cost_nusd INTEGER,
                        switching_threshold_bp INTEGER NOT NULL,
                        cached_prompt_bp INTEGER NOT NULL,
                        expected_output_tokens INTEGER NOT NULL
                    );
                    CREATE TABLE tenants (
                        id TEXT PRIMARY KEY NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY NOT NULL,
                        tenant TEXT NOT NULL REFERENCES tenants(id),
                        key_hash TEXT NOT NULL UNIQUE,       -- SHA-256 hex; the key itself is never stored
                        budget_nusd INTEGER,
                        budget_period TEXT,
                        policy TEXT,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE TABLE credits (
                        provider TEXT PRIMARY KEY NOT NULL,
                        remaining_nusd INTEGER NOT NULL,
                        expires_at INTEGER
                    );
                    CREATE TABLE decisions (
                        id TEXT PRIMARY KEY NOT NULL,
                        at_ms INTEGER NOT NULL,
                        tenant TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        stream_key TEXT NOT NULL,
                        target TEXT NOT NULL,
                        provider TEXT,
                        model TEXT,
                        expected_cost_nusd INTEGER,
                        price_effective_at INTEGER,
                        prompt_tokens_est INTEGER NOT NULL,
                        output_tokens_est INTEGER NOT NULL,
                        candidates TEXT NOT NULL,            -- JSON ["provider/model=cost", …]
                        exclusions TEXT NOT NULL,            -- JSON {"reason": count}
                        previous_provider TEXT,
                        switched INTEGER NOT NULL,
                        held INTEGER NOT NULL,
                        attempts TEXT NOT NULL,              -- JSON ["provider/model:outcome", …]
                        status TEXT NOT NULL,
                        actual_prompt_tokens INTEGER,
                        actual_output_tokens INTEGER,
                        actual_cost_nusd INTEGER,
                        -- What the switching measures sum: actual cost when known, else expected.
                        spend_nusd INTEGER NOT NULL,
                        latency_ms INTEGER
                    );
                    CREATE INDEX decisions_by_time ON decisions (at_ms);
                    CREATE INDEX decisions_by_stream ON decisions (stream_key, at_ms);
                    CREATE INDEX decisions_by_tenant ON decisions (tenant, at_ms);
                    """)
        }
        // Replays write their decisions to the same table in a separate file, one run per
        // switching threshold; the run's tenants end in its suffix (`analysts@10%`). The
        // covering index serves the switching measures, which group by stream and time.
        migrator.registerMigration("v2-replay-runs-and-switching-index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE replay_runs (
                        id TEXT PRIMARY KEY NOT NULL,        -- e.g. t10
                        threshold_bp INTEGER NOT NULL,
                        tenant_suffix TEXT NOT NULL,         -- every tenant of the run ends with it
                        workload TEXT NOT NULL,
                        history TEXT NOT NULL,
                        first_day INTEGER NOT NULL,          -- unix seconds
                        last_day INTEGER NOT NULL,
                        requests INTEGER NOT NULL
                    );
                    -- What a replay knows beyond its decisions (e.g. the price wars it detected), as JSON.
                    CREATE TABLE replay_notes (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE INDEX decisions_switching ON decisions (stream_key, at_ms, provider, spend_nusd);
                    CREATE INDEX decisions_by_offer ON decisions (provider, model, at_ms);
                    """)
        }
        // The switching measures sum decisions per stream, period and provider; over a
        // million-row log that GROUP BY took most of a second. The rollup keeps those sums per
        // hour, maintained in the transaction that writes the decisions (`recordDecisions`,
        // `recordRepeatedDecisions`), so churn, retention, concentration and switch rates read
        // tens of thousands of rows instead of every decision. Days and weeks are sums of hours.
        // Keyed by tenant and policy too, so their filters stay exact. Only decisions that chose
        // an offer are counted: every measure ignores the others. Existing rows are rolled up here.
        migrator.registerMigration("v3-decision-rollup") { db in
            try db.execute(
                sql: """
                    CREATE TABLE decision_rollup (
                        stream_key TEXT NOT NULL,
                        hour INTEGER NOT NULL,               -- at_ms / 3600000
                        provider TEXT NOT NULL,
                        tenant TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        requests INTEGER NOT NULL,
                        spend_nusd INTEGER NOT NULL,
                        switches INTEGER NOT NULL,
                        held INTEGER NOT NULL,
                        prompt_tokens_est INTEGER NOT NULL,  -- sums, for the cost of loyalty
                        output_tokens_est INTEGER NOT NULL,
                        first_at_ms INTEGER NOT NULL,
                        last_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (stream_key, hour, provider, tenant, policy)
                    ) WITHOUT ROWID;
                    -- Switch listings read only switched decisions.
                    CREATE INDEX decisions_switched ON decisions (stream_key, at_ms) WHERE switched = 1;
                    """)
            try db.execute(
                sql: """
                    INSERT INTO decision_rollup (stream_key, hour, provider, tenant, policy, requests, spend_nusd, switches, held,
                        prompt_tokens_est, output_tokens_est, first_at_ms, last_at_ms)
                    SELECT stream_key, at_ms / 3600000, provider, tenant, policy, COUNT(*), SUM(spend_nusd), SUM(switched), SUM(held),
                           SUM(prompt_tokens_est), SUM(output_tokens_est), MIN(at_ms), MAX(at_ms)
                    FROM decisions WHERE provider IS NOT NULL
                    GROUP BY stream_key, at_ms / 3600000, provider, tenant, policy;
                    """)
        }
        // An operator's `providers disable|drain` outlives a restart, as `kubectl cordon` does.
        migrator.registerMigration("v4-provider-modes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE provider_modes (
                        provider TEXT PRIMARY KEY NOT NULL,
                        mode TEXT NOT NULL,                  -- disabled | draining
                        set_at INTEGER NOT NULL
                    );
                    """)
        }
        // `decisions_switching` (stream_key, at_ms, provider, spend_nusd) serves every lookup
        // `decisions_by_stream` (stream_key, at_ms) did, and each index is one more B-tree
        // insert per logged decision on the daemon's hot path.
        migrator.registerMigration("v5-drop-redundant-stream-index") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS decisions_by_stream")
        }
        // A tenant's spend since the start of its budget period is summed from the rollup's
        // hours (`spend(tenant:since:)`); covering, so the sum reads the index alone. Rollup
        // rows are written once per stream, hour and provider per commit, not per decision.
        migrator.registerMigration("v6-rollup-by-tenant") { db in
            try db.execute(sql: "CREATE INDEX decision_rollup_by_tenant ON decision_rollup (tenant, hour, spend_nusd)")
        }
        // The cost of loyalty prices the tokens a decision was billed for (the provider's usage
        // when it reported one, else the estimate), as its actual spend did: the rollup summed
        // estimates, so a stream that never moved showed a cost of loyalty wherever usage
        // differed from the estimate. Rebuilt from the log with the billed tokens.
        migrator.registerMigration("v7-rollup-billed-tokens") { db in
            try db.execute(
                sql: """
                    ALTER TABLE decision_rollup RENAME COLUMN prompt_tokens_est TO prompt_tokens;
                    ALTER TABLE decision_rollup RENAME COLUMN output_tokens_est TO output_tokens;
                    """)
            try rebuildDecisionRollup(db)
        }
        return migrator
    }

    /// Recomputes the whole rollup from the decision log in one sorted pass.
    static func rebuildDecisionRollup(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM decision_rollup;
                INSERT INTO decision_rollup (stream_key, hour, provider, tenant, policy, requests, spend_nusd, switches, held,
                    prompt_tokens, output_tokens, first_at_ms, last_at_ms)
                SELECT stream_key, at_ms / 3600000, provider, tenant, policy, COUNT(*), SUM(spend_nusd), SUM(switched), SUM(held),
                       SUM(COALESCE(actual_prompt_tokens, prompt_tokens_est)), SUM(COALESCE(actual_output_tokens, output_tokens_est)),
                       MIN(at_ms), MAX(at_ms)
                FROM decisions WHERE provider IS NOT NULL
                GROUP BY stream_key, at_ms / 3600000, provider, tenant, policy;
                """)
    }
}
