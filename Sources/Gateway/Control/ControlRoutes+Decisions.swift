import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import Hummingbird
import Logging

/// `/v1/decisions`, `/v1/switches`, `/v1/churn`, `/v1/loyalty`, `/v1/concentration`: the
/// decision log and the switching measures, computed in SQL by `BrokerStore`.
extension ControlRoutes {
    func addDecisionRoutes(_ router: Hummingbird.Router<BasicRequestContext>) {
        router.control(.get, "/v1/decisions") { request, _ in
            let filter = DecisionFilter(
                since: try Self.time(request, "since"), tenant: Self.string(request, "tenant"), policy: Self.string(request, "policy"),
                limit: try Self.integer(request, "limit", default: 50, range: 1...100_000))
            return ControlJSON.response(try stored { try store.decisions(filter) }.map(DecisionView.init))
        }
        router.control(.get, "/v1/decisions/:id") { _, context in
            let id = try Self.parameter(context, "id")
            guard let record = try stored({ try store.decision(id: id) }) else {
                throw ControlError.notFound("no decision \(id) (the log may not have been written yet: it commits every 50 ms)")
            }
            return ControlJSON.response(DecisionView(record))
        }
        router.control(.get, "/v1/switches") { request, _ in
            let filter = try switchingFilter(request)
            let limit = try Self.integer(request, "limit", default: 100, range: 1...1_000_000)
            return ControlJSON.response(try stored { try store.switches(filter, limit: limit) }.map(SwitchRow.init))
        }
        router.control(.get, "/v1/churn") { request, _ in
            let filter = try switchingFilter(request)
            return ControlJSON.response(try stored { try store.churn(filter) }.map(ChurnRow.init))
        }
        router.control(.get, "/v1/loyalty") { request, _ in
            let filter = try switchingFilter(request)
            return ControlJSON.response(try stored { try store.loyalty(filter) }.map(LoyaltyRow.init))
        }
        router.control(.get, "/v1/concentration") { request, _ in
            let filter = try switchingFilter(request)
            // One aggregate: the HHI per period from the same spend rows the table's top share needs.
            let spends = try stored { try store.spendByProvider(filter) }
            let byStart = Dictionary(grouping: spends, by: \.start)
            let rows = byStart.keys.sorted().map { start in
                let slice = byStart[start]!
                let point = ConcentrationPoint(
                    start: start, hhi: BrokerCore.Concentration.hhi(slice.map(\.spendNanoUSD)),
                    providers: slice.filter { $0.spendNanoUSD > 0 }.count)
                return ConcentrationRow(point, spends: slice)
            }
            return ControlJSON.response(rows)
        }
    }

    func switchingFilter(_ request: Request) throws -> SwitchingFilter {
        let periodText = Self.string(request, "period") ?? "day"
        guard let period = SwitchingPeriod(rawValue: periodText) else {
            throw ControlError.badRequest("period must be one of: hour, day, week")
        }
        return SwitchingFilter(
            since: try Self.time(request, "since"), until: try Self.time(request, "until"), tenant: Self.string(request, "tenant"),
            policy: Self.string(request, "policy"), period: period)
    }
}
