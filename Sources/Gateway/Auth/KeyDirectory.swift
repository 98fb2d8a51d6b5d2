public import BrokerStore
public import Foundation
import HTTPTypes
import Synchronization

/// Finds the tenant key behind an `Authorization: Bearer …` header. Keys are looked up by
/// their SHA-256 only; known keys are cached, unknown ones read from the store (so a key
/// created by another process works at once) and revocations take effect on ``forget(id:)``
/// or the next catalogue refresh.
public final class KeyDirectory: Sendable {
    private let store: any CatalogueStore
    private let cache = Mutex<[String: APIKeyRecord]>([:])

    public init(store: any CatalogueStore) {
        self.store = store
    }

    func authenticate(_ authorization: String?) throws -> APIKeyRecord {
        guard let authorization, !authorization.isEmpty else {
            throw GatewayError.unauthorized("missing API key: send Authorization: Bearer <key>")
        }
        guard authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else {
            throw GatewayError.unauthorized("malformed Authorization header: expected Bearer <key>")
        }
        let key = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let hash = APIKeyHash.hash(key)
        if let known = cache.withLock({ $0[hash] }) { return known }
        let stored: APIKeyRecord?
        do {
            stored = try store.key(hash: hash)
        } catch {
            throw GatewayError(status: .serviceUnavailable, type: "server_error", code: "store_unavailable", message: "cannot check the key: the store is unavailable")
        }
        guard let stored, stored.revokedAt == nil else {
            // Never echo the key: only a short, harmless prefix helps the caller see which one.
            throw GatewayError.unauthorized("incorrect API key provided (\(key.prefix(3))…): unknown or revoked")
        }
        cache.withLock { $0[hash] = stored }
        return stored
    }

    /// Drops every cached key, so revocations and budget changes are read again.
    public func reload() {
        cache.withLock { $0.removeAll() }
    }

    /// Creates the configuration file's bootstrap keys that are not stored yet; returns how many.
    public func bootstrap(_ keys: [GatewayConfiguration.BootstrapKey], at date: Date) throws -> Int {
        var created = 0
        for key in keys {
            let hash = key.hash
            guard try store.key(hash: hash) == nil else { continue }
            try store.createKey(
                APIKeyRecord(
                    id: APIKeyHash.keyID(hash: hash), tenant: key.tenant, keyHash: hash, budget: key.budget,
                    budgetPeriod: key.period, policy: key.policy, createdAt: date))
            created += 1
        }
        return created
    }
}
