public import BrokerStore
import BrokerCore
import Foundation

/// `POST /v1/keys` (`tokenbroker keys create`).
public struct KeyCreateRequest: Codable, Sendable, Equatable {
    public var tenant: String
    public var budgetUSD: String?
    /// `day` or `month`.
    public var period: String?
    public var policy: String?

    public init(tenant: String, budgetUSD: String?, period: String?, policy: String?) {
        self.tenant = tenant
        self.budgetUSD = budgetUSD
        self.period = period
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey {
        case tenant, period, policy
        case budgetUSD = "budget_usd"
    }
}

/// A new key: the only time the key itself is shown.
public struct CreatedKey: Codable, Sendable, Equatable {
    public var id: String
    public var tenant: String
    public var key: String

    public init(id: String, tenant: String, key: String) {
        self.id = id
        self.tenant = tenant
        self.key = key
    }
}

/// A stored key, without the secret (`tokenbroker keys list`).
public struct KeyRow: Codable, Sendable, Equatable {
    public var id: String
    public var tenant: String
    public var budgetUSD: String?
    public var period: String?
    public var policy: String?
    public var createdAt: String
    public var revokedAt: String?

    public init(_ record: APIKeyRecord) {
        id = record.id
        tenant = record.tenant
        budgetUSD = record.budget?.decimalString()
        period = record.budgetPeriod?.rawValue
        policy = record.policy
        createdAt = record.createdAt.formatted(.iso8601)
        revokedAt = record.revokedAt?.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case id, tenant, period, policy
        case budgetUSD = "budget_usd"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}
