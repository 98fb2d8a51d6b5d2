import BrokerCore
import Foundation
import Testing

@Suite struct CircuitBreakerTests {
    let start = Date(timeIntervalSince1970: 1_000_000)
    func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    @Test func opensAfterConsecutiveFailuresOnly() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 3, coolDown: 10))
        breaker.record(.failure(retryAfter: nil), at: at(0))
        breaker.record(.failure(retryAfter: nil), at: at(1))
        breaker.record(.success, at: at(2))  // resets the count
        breaker.record(.failure(retryAfter: nil), at: at(3))
        breaker.record(.failure(retryAfter: nil), at: at(4))
        #expect(!breaker.isOpen(at: at(4)))
        #expect(breaker.record(.failure(retryAfter: nil), at: at(5)) == .opened(until: at(15)))
        #expect(breaker.isOpen(at: at(14)))
        #expect(breaker.admit(at: at(14)) == .rejected)
    }

    @Test func probesBackAfterTheCoolDown() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 1, coolDown: 10, maxCoolDown: 25))
        breaker.record(.failure(retryAfter: nil), at: at(0))
        #expect(breaker.admit(at: at(10)) == .probe)
        #expect(breaker.admit(at: at(10)) == .rejected)  // one probe at a time
        #expect(breaker.isOpen(at: at(10)))
        // A failed probe doubles the cool-down, capped.
        #expect(breaker.record(.failure(retryAfter: nil), at: at(11)) == .opened(until: at(31)))
        #expect(breaker.admit(at: at(31)) == .probe)
        #expect(breaker.record(.failure(retryAfter: nil), at: at(32)) == .opened(until: at(57)))
        #expect(breaker.admit(at: at(57)) == .probe)
        #expect(breaker.record(.success, at: at(58)) == .closed)
        #expect(breaker.admit(at: at(58)) == .admitted)
        #expect(!breaker.isOpen(at: at(58)))
    }

    /// A probe whose attempt said nothing about the offer (the client left, its request was
    /// bad, the gateway had no socket) is handed back: the next request probes. Before, the
    /// circuit stayed half-open, and the offer out of routing, until a restart.
    @Test func anInconclusiveProbeIsHandedBack() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 1, coolDown: 10))
        breaker.record(.failure(retryAfter: nil), at: at(0))
        #expect(breaker.admit(at: at(10)) == .probe)
        #expect(breaker.record(.inconclusive, at: at(11)) == .none)
        #expect(breaker.admit(at: at(12)) == .probe)
        #expect(breaker.record(.success, at: at(13)) == .closed)
        // Elsewhere it changes nothing: no count reset, no extension.
        breaker = CircuitBreaker(policy: .init(failureThreshold: 2, coolDown: 10))
        breaker.record(.failure(retryAfter: nil), at: at(20))
        breaker.record(.inconclusive, at: at(21))
        #expect(breaker.record(.failure(retryAfter: nil), at: at(22)) == .opened(until: at(32)))
        #expect(breaker.record(.inconclusive, at: at(23)) == .none)
        #expect(breaker.admit(at: at(31)) == .rejected)
    }

    @Test func honoursALongRetryAfterAtOnce() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 5, coolDown: 10))
        #expect(breaker.record(.failure(retryAfter: 60), at: at(0)) == .opened(until: at(60)))
        #expect(breaker.admit(at: at(59)) == .rejected)
        #expect(breaker.admit(at: at(60)) == .probe)
    }

    @Test func aLateFailureOnlyExtendsForRetryAfter() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 1, coolDown: 10))
        breaker.record(.failure(retryAfter: nil), at: at(0))
        #expect(breaker.record(.failure(retryAfter: nil), at: at(1)) == .none)
        #expect(breaker.record(.failure(retryAfter: 30), at: at(2)) == .opened(until: at(32)))
    }
}
