/// Request counts per model and per provider path, as `GET /_mock/stats` shows them.
public struct MockStats: Sendable, Equatable {
    /// What became of one request.
    public enum Outcome: Sendable {
        /// Answered (or hung, or cut: as the behaviour said).
        case answered
        /// Failed with an injected error.
        case failed
        /// Refused: bad body, missing API key, too large.
        case rejected
    }

    public struct ModelCounts: Sendable, Equatable {
        public var requests = 0
        public var errors = 0
        public var rejected = 0
        public var paths: [String: Int] = [:]
    }

    public private(set) var requests = 0
    public private(set) var models: [String: ModelCounts] = [:]

    public init() {}

    /// Counts one request; `model` is empty when the body named none.
    public mutating func record(model: String, path: String, outcome: Outcome) {
        requests += 1
        let key = model.isEmpty ? "(unknown)" : model
        models[key, default: ModelCounts()].requests += 1
        models[key]?.paths[path, default: 0] += 1
        switch outcome {
        case .answered: break
        case .failed: models[key]?.errors += 1
        case .rejected: models[key]?.rejected += 1
        }
    }

    /// The counts, models and paths sorted by name; `inFlight` requests not yet finished.
    public func json(inFlight: Int) -> JSONValue {
        let models = models.keys.sorted().map { name -> (String, JSONValue) in
            let counts = self.models[name]!
            let paths = counts.paths.keys.sorted().map { ($0, JSONValue.int(counts.paths[$0]!)) }
            return (
                name,
                [
                    "requests": .int(counts.requests), "errors": .int(counts.errors), "rejected": .int(counts.rejected),
                    "paths": .object(paths),
                ]
            )
        }
        return ["requests": .int(requests), "in_flight": .int(inFlight), "models": .object(models)]
    }
}
