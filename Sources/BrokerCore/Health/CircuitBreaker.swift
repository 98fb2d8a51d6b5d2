public import struct Foundation.Date
public import struct Foundation.TimeInterval

/// A per-offer circuit breaker: a pure state machine, driven by outcomes and the time passed
/// in, returning what changed so a caller can log it and refresh routing.
///
/// Closed → (N consecutive failures) → open for a cool-down → half-open: one probe request is
/// let through → closed on success, open again (for twice as long, up to a cap) on failure.
/// A `Retry-After` longer than the cool-down is honoured.
///
/// ```swift
/// var breaker = CircuitBreaker()
/// if breaker.admit(at: now) == .rejected { /* route elsewhere */ }
/// breaker.record(.failure(retryAfter: 20), at: now)
/// ```
public struct CircuitBreaker: Sendable, Hashable {
    public struct Policy: Sendable, Hashable {
        /// Consecutive failures that open the circuit.
        public var failureThreshold: Int
        /// First cool-down; doubles after each failed probe.
        public var coolDown: TimeInterval
        public var maxCoolDown: TimeInterval

        public init(failureThreshold: Int = 5, coolDown: TimeInterval = 10, maxCoolDown: TimeInterval = 300) {
            self.failureThreshold = max(1, failureThreshold)
            self.coolDown = coolDown
            self.maxCoolDown = max(coolDown, maxCoolDown)
        }
    }

    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Date, coolDown: TimeInterval)
        /// One probe is in flight; everything else is still refused.
        case halfOpen(coolDown: TimeInterval)
    }

    public enum Admission: Sendable, Hashable {
        case admitted
        /// The cool-down is over: this request is the probe.
        case probe
        case rejected
    }

    public enum Outcome: Sendable, Hashable {
        case success
        /// `retryAfter`: seconds the provider asked to wait, if it said.
        case failure(retryAfter: TimeInterval?)
        /// The attempt says nothing about the offer's health (the client went away, the request
        /// was its own fault, this process was out of sockets): a probe is handed back, so the
        /// next request probes instead of the circuit staying half-open for good.
        case inconclusive
    }

    /// What a recorded outcome changed.
    public enum Transition: Sendable, Hashable {
        case none
        case opened(until: Date)
        case closed
    }

    public let policy: Policy
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether the offer should be excluded from routing now (open, or half-open with its probe out).
    public func isOpen(at now: Date) -> Bool {
        switch state {
        case .closed: false
        case .open(let until, _): now < until
        case .halfOpen: true
        }
    }

    /// Asks to send a request; an open circuit whose cool-down is over lets one probe through.
    public mutating func admit(at now: Date) -> Admission {
        switch state {
        case .closed:
            return .admitted
        case .open(let until, let coolDown):
            guard now >= until else { return .rejected }
            state = .halfOpen(coolDown: coolDown)
            return .probe
        case .halfOpen:
            return .rejected
        }
    }

    @discardableResult
    public mutating func record(_ outcome: Outcome, at now: Date) -> Transition {
        switch (state, outcome) {
        case (.halfOpen(let coolDown), .inconclusive):
            state = .open(until: now, coolDown: coolDown)
            return .none
        case (_, .inconclusive):
            return .none
        case (.closed, .success):
            state = .closed(consecutiveFailures: 0)
            return .none
        case (.closed(let failures), .failure(let retryAfter)):
            let count = failures + 1
            guard count >= policy.failureThreshold || retryAfter.map({ $0 > policy.coolDown }) == true else {
                state = .closed(consecutiveFailures: count)
                return .none
            }
            return open(coolDown: policy.coolDown, retryAfter: retryAfter, at: now)
        case (.halfOpen, .success), (.open, .success):
            state = .closed(consecutiveFailures: 0)
            return .closed
        case (.halfOpen(let coolDown), .failure(let retryAfter)):
            return open(coolDown: min(coolDown * 2, policy.maxCoolDown), retryAfter: retryAfter, at: now)
        case (.open(let until, let coolDown), .failure(let retryAfter)):
            // A late failure of a request admitted before the circuit opened: extend only for Retry-After.
            let extended = max(until, now.addingTimeInterval(retryAfter ?? 0))
            state = .open(until: extended, coolDown: coolDown)
            return extended == until ? .none : .opened(until: extended)
        }
    }

    private mutating func open(coolDown: TimeInterval, retryAfter: TimeInterval?, at now: Date) -> Transition {
        let wait = max(coolDown, min(retryAfter ?? 0, policy.maxCoolDown))
        let until = now.addingTimeInterval(wait)
        state = .open(until: until, coolDown: coolDown)
        return .opened(until: until)
    }
}
