import Synchronization

/// The mock's mutable state, shared by every connection: the configuration (changed at run
/// time by the control endpoint), each model's seeded error generator, and the counts.
///
/// One lock, held for a few field updates per request, so it is never what a benchmark
/// measures.
public final class MockState: Sendable {
    /// What the server needs to answer one request, taken in one step.
    public struct Admission: Sendable {
        public var behaviour: ModelBehaviour
        /// This request's draw from the model's generator, in [0, 1).
        public var draw: Double
        /// A number unique to the request since the last reset, for response ids.
        public var id: Int
    }

    private struct Contents {
        var configuration: MockConfiguration
        var generators: [String: SplitMix64] = [:]
        var stats = MockStats()
        var sequence = 0
        var inFlight = 0
    }

    private let initial: MockConfiguration
    private let contents: Mutex<Contents>

    public init(configuration: MockConfiguration = MockConfiguration()) {
        self.initial = configuration
        self.contents = Mutex(Contents(configuration: configuration))
    }

    public var configuration: MockConfiguration {
        contents.withLock { $0.configuration }
    }

    /// Takes the behaviour of `model` and the next draw of its generator, and counts the
    /// request as answered or, when the draw makes it fail, as failed.
    public func admit(model: String, path: String) -> Admission {
        contents.withLock { contents in
            let behaviour = contents.configuration.behaviour(for: model)
            let seed = contents.configuration.seed
            let draw = contents.generators[model, default: SplitMix64(seed: seed, name: model)].nextUnitInterval()
            contents.sequence += 1
            let failed = !behaviour.hang && behaviour.failure(draw: draw) != nil
            contents.stats.record(model: model, path: path, outcome: failed ? .failed : .answered)
            return Admission(behaviour: behaviour, draw: draw, id: contents.sequence)
        }
    }

    /// Counts a request refused before it reached a model's behaviour.
    public func reject(model: String, path: String) {
        contents.withLock { $0.stats.record(model: model, path: path, outcome: .rejected) }
    }

    /// Sets `model`'s overrides (`default`: the default behaviour) from the next request on.
    public func setPatch(_ patch: BehaviourPatch, for model: String) {
        contents.withLock { $0.configuration.setPatch(patch, for: model) }
    }

    /// Drops `model`'s overrides; it behaves as the default again.
    public func removePatch(for model: String) {
        contents.withLock { $0.configuration.modelPatches[model] = nil }
    }

    /// Back to the configuration the mock started with: counts cleared, generators reseeded.
    public func reset() {
        contents.withLock { contents in
            let inFlight = contents.inFlight
            contents = Contents(configuration: initial)
            contents.inFlight = inFlight
        }
    }

    public func statsJSON() -> JSONValue {
        contents.withLock { $0.stats.json(inFlight: $0.inFlight) }
    }

    public var stats: MockStats {
        contents.withLock { $0.stats }
    }

    /// Runs `operation` counted as a request in flight (until it returns or throws).
    func inFlight<T>(_ operation: () async throws -> T) async rethrows -> T {
        contents.withLock { $0.inFlight += 1 }
        defer { contents.withLock { $0.inFlight -= 1 } }
        return try await operation()
    }
}
