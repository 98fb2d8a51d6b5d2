public import BrokerStore
public import Foundation
import HTTPTypes
import Synchronization

/// Finds the tenant key behind an `Authorization: Bearer …` header. The store knows keys by
/// their SHA-256 only; unknown keys are read from it (so a key created by another process
/// works at once) and revocations take effect on ``reload()`` or the next catalogue refresh.
///
/// Accepted headers are remembered as sent, so a known key costs one dictionary lookup
/// instead of a SHA-256 per request. The process already holds every provider credential
/// in memory; the store and everything the daemon writes still see hashes only.
public final class KeyDirectory: Sendable {
    private let store: any CatalogueStore
    private let cache = Mutex<[String: APIKeyRecord]>([:])
    /// Bounds the cache against a stream of distinct valid keys (never of invalid ones:
    /// only accepted headers are remembered); when full it starts over.
    private let cacheLimit: Int

    public init(store: any CatalogueStore, cacheLimit: Int = 4_096) {
        self.store = store
        self.cacheLimit = cacheLimit
    }

    func authenticate(_ authorization: String?) throws -> APIKeyRecord {
        let key = try Self.bearerKey(authorization)
        if let authorization, let known = cache.withLock({ $0[authorization] }) { return known }
        return try lookUp(key, sentAs: authorization ?? "")
    }

    /// The request path's form: a remembered header answers at once, a malformed one is
    /// refused at once; only a store lookup goes to `io`, so it never holds up an event loop.
    func authenticate(_ authorization: String?, lookingUpOn io: BlockingExecutor) async throws -> APIKeyRecord {
        if let authorization, let known = cache.withLock({ $0[authorization] }) { return known }
        let key = try Self.bearerKey(authorization)
        return try await io.run { try self.lookUp(key, sentAs: authorization ?? "") }
    }

    /// The key in an `Authorization: Bearer <key>` header, or the 401 that says what is wrong.
    static func bearerKey(_ authorization: String?) throws -> String {
        guard let authorization, !authorization.isEmpty else {
            throw GatewayError.unauthorized("missing API key: send Authorization: Bearer <key>")
        }
        guard authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else {
            throw GatewayError.unauthorized("malformed Authorization header: expected Bearer <key>")
        }
        return authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }

    /// Reads the key's record from the store and remembers the header it came in.
    private func lookUp(_ key: String, sentAs authorization: String) throws -> APIKeyRecord {
        let stored: APIKeyRecord?
        do {
            stored = try store.key(hash: APIKeyHash.hash(key))
        } catch {
            throw GatewayError(status: .serviceUnavailable, type: "server_error", code: "store_unavailable", message: "cannot check the key: the store is unavailable")
        }
        guard let stored, stored.revokedAt == nil else {
            // Never echo the key: only a short, harmless prefix helps the caller see which one.
            throw GatewayError.unauthorized("incorrect API key provided (\(key.prefix(3))…): unknown or revoked")
        }
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[authorization] = stored
        }
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
