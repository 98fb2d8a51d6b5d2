public import BrokerCore
public import Foundation
internal import GRDB

/// Reads the control plane needs beyond ``CatalogueStore``: one decision by id, the
/// switching history with the price event behind each switch, and log totals.
extension SQLiteStore {
    public func decision(id: String) throws -> DecisionRecord? {
        try read("read decision \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [id]).map(Self.decision)
        }
    }

    /// For a switched decision `d`, the columns of the offer it switched from: the stream's
    /// previous decision that chose one (`prev`, joined by ``previousDecisionJoinSQL``) and the
    /// date of the price version that offer had at the switch (`old_at`).
    static let previousOfferColumnsSQL = """
        prev.provider AS old_provider, prev.model AS old_model,
        (SELECT MAX(pv.effective_at) FROM price_versions pv
          WHERE pv.provider = prev.provider AND pv.model = prev.model
            AND pv.effective_at <= d.at_ms / 1000) AS old_at
        """

    /// Joins `prev` to `d`: one descending seek on `decisions_switching` (a range on `at_ms`,
    /// not an OR, so SQLite can seek rather than scan the stream's history).
    static let previousDecisionJoinSQL = """
        LEFT JOIN decisions prev ON prev.id = (
            SELECT p.id FROM decisions p
            WHERE p.stream_key = d.stream_key AND p.at_ms <= d.at_ms AND p.provider IS NOT NULL
              AND NOT (p.at_ms = d.at_ms AND p.id >= d.id)
            ORDER BY p.at_ms DESC, p.id DESC LIMIT 1)
        """

    /// What those columns and `d.price_effective_at AS new_at` say: the offer switched from,
    /// and the price event behind the switch (the newer of the new offer's price version and
    /// the old offer's at the switch).
    static func switchSource(_ row: Row) -> (from: OfferID?, eventAt: Date?) {
        let oldProvider: String? = row["old_provider"]
        let oldModel: String? = row["old_model"]
        let newAt: Int64? = row["new_at"]
        let oldAt: Int64? = row["old_at"]
        return (
            oldProvider.flatMap { provider in oldModel.map { OfferID(provider: provider, model: $0) } },
            [newAt, oldAt].compactMap { $0 }.max().map(StoredForms.date(seconds:))
        )
    }

    /// The newest `limit` switches matching `filter`, oldest first.
    ///
    /// Walks `decisions_by_time` backwards and stops after `limit` switches; each switch's
    /// previous decision is one seek (``previousDecisionJoinSQL``).
    public func switches(_ filter: SwitchingFilter, limit: Int) throws -> [SwitchRecord] {
        let (clause, arguments) = Self.whereClause(filter, alias: "d")
        var allArguments = arguments
        allArguments += [limit]
        return try read("list switches") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.at_ms, d.tenant, d.policy, d.provider, d.model, d.expected_cost_nusd, d.candidates,
                           d.price_effective_at AS new_at, \(Self.previousOfferColumnsSQL)
                    FROM decisions d
                    \(Self.previousDecisionJoinSQL)
                    WHERE \(clause) AND d.switched = 1
                    ORDER BY d.at_ms DESC, d.id DESC LIMIT ?
                    """, arguments: allArguments
            ).reversed().map(Self.switchRecord)
        }
    }

    static func switchRecord(_ row: Row) -> SwitchRecord {
        let (from, eventAt) = switchSource(row)
        let expected: Int64? = row["expected_cost_nusd"]
        let candidates = StoredForms.decode([String].self, row["candidates"]) ?? []
        var previousCost: Money?
        if let from {
            let prefix = "\(from)="
            if let entry = candidates.first(where: { $0.hasPrefix(prefix) }) {
                previousCost = Money(usd: entry.dropFirst(prefix.count))
            }
        }
        return SwitchRecord(
            decisionID: row["id"], at: StoredForms.date(milliseconds: row["at_ms"]), tenant: row["tenant"],
            policy: row["policy"], from: from, to: OfferID(provider: row["provider"], model: row["model"]),
            expectedCost: expected.map { Money(nanoUSD: $0) }, previousOfferCost: previousCost,
            priceEventAt: eventAt)
    }

    /// Decisions, switches and spend since `date` (everything when nil).
    public func decisionTotals(since date: Date?) throws -> DecisionTotals {
        try read("sum decisions") { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(switched), 0) AS switches, COALESCE(SUM(spend_nusd), 0) AS spend
                    FROM decisions WHERE at_ms >= ?
                    """, arguments: [date.map(StoredForms.milliseconds) ?? Int64.min])
            return DecisionTotals(
                decisions: row?["n"] ?? 0, switches: row?["switches"] ?? 0, spend: Money(nanoUSD: row?["spend"] ?? 0))
        }
    }

    /// The database's size on disk: the main file and its write-ahead log.
    public var sizeOnDisk: Int64 {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
