import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import Hummingbird
import Logging

/// `/v1/keys`: tenant API keys. The key itself is shown once, in the answer to its creation;
/// only its SHA-256 is stored.
extension ControlRoutes {
    func addTenantRoutes(_ router: Hummingbird.Router<BasicRequestContext>) {
        router.control(.get, "/v1/keys") { request, _ in
            let tenant = Self.string(request, "tenant")
            let keys = try stored { try store.keys() }.filter { tenant == nil || $0.tenant == tenant }
            return ControlJSON.response(keys.sorted { ($0.tenant, $0.createdAt, $0.id) < ($1.tenant, $1.createdAt, $1.id) }.map(KeyRow.init))
        }
        router.control(.post, "/v1/keys") { request, _ in
            ControlJSON.response(try createKey(try await ControlJSON.decode(KeyCreateRequest.self, from: request)), status: .created)
        }
        router.control(.delete, "/v1/keys/:id") { _, context in
            let id = try Self.parameter(context, "id")
            guard try stored({ try store.revokeKey(id: id, at: Date()) }) else {
                throw ControlError.notFound("no key \(id) (tokenbroker keys list shows them)")
            }
            gateway.keys.reload()
            gateway.logger.notice("control: key \(id) revoked")
            guard let record = try stored({ try store.keys() }).first(where: { $0.id == id }) else {
                throw ControlError.failed("key \(id) revoked but not found again")
            }
            return ControlJSON.response(KeyRow(record))
        }
    }

    func createKey(_ body: KeyCreateRequest) throws -> CreatedKey {
        let tenant = body.tenant.trimmingCharacters(in: .whitespaces)
        if let problem = TenantName.problem(tenant) {
            throw ControlError.badRequest("tenant \(problem)")
        }
        var budget: Money?
        if let text = body.budgetUSD {
            guard let value = Money(operatorUSD: text, allowingZero: false) else {
                throw ControlError.badRequest("budget_usd must be \(Money.operatorUSDRule(allowingZero: false)), got \(text)")
            }
            budget = value
        }
        var period: BudgetPeriod?
        if let text = body.period {
            guard let value = BudgetPeriod(rawValue: text) else { throw ControlError.badRequest("period must be day or month, got \(text)") }
            period = value
        }
        if period != nil && budget == nil { throw ControlError.badRequest("period needs budget_usd") }
        if budget != nil && period == nil { period = .month }
        if let policy = body.policy, gateway.state.snapshot.catalogue.policies[policy] == nil {
            throw ControlError.notFound(
                "no policy \(policy) (known: \(gateway.state.snapshot.catalogue.policies.keys.sorted().joined(separator: ", ")))")
        }
        let key = APIKeyHash.generate()
        let hash = APIKeyHash.hash(key)
        let record = APIKeyRecord(
            id: APIKeyHash.keyID(hash: hash), tenant: tenant, keyHash: hash, budget: budget, budgetPeriod: period,
            policy: body.policy, createdAt: Date())
        try stored { try store.createKey(record) }
        gateway.logger.notice("control: key \(record.id) created for tenant \(tenant)")
        return CreatedKey(id: record.id, tenant: tenant, key: key)
    }
}
