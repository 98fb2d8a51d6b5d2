/// A model identity (e.g. `qwen2.5-72b-instruct`), independent of who sells it.
public struct Model: Sendable, Hashable, Identifiable {
    public var id: String
    public var family: String
    public var quality: QualityScore?
    public var capabilities: Capabilities
    /// The context window the vendor advertises, in tokens.
    public var advertisedContext: Int
    /// The context the model actually handles well; routing checks prompt + output against this.
    public var effectiveContext: Int
    public var maxOutputTokens: Int

    public init(
        id: String, family: String, quality: QualityScore? = nil, capabilities: Capabilities = [],
        advertisedContext: Int, effectiveContext: Int? = nil, maxOutputTokens: Int
    ) {
        self.id = id
        self.family = family
        self.quality = quality
        self.capabilities = capabilities
        self.advertisedContext = advertisedContext
        self.effectiveContext = effectiveContext ?? advertisedContext
        self.maxOutputTokens = maxOutputTokens
    }
}

/// A quality score and where it comes from, e.g. an LMArena rating of 1402.
public struct QualityScore: Sendable, Hashable {
    public var score: Int
    public var source: String

    public init(score: Int, source: String) {
        self.score = score
        self.source = source
    }
}

/// What a model can do that a request may need.
public struct Capabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let tools = Capabilities(rawValue: 1 << 0)
    public static let vision = Capabilities(rawValue: 1 << 1)
    public static let jsonSchema = Capabilities(rawValue: 1 << 2)
    public static let streaming = Capabilities(rawValue: 1 << 3)
    public static let reasoning = Capabilities(rawValue: 1 << 4)

    /// Names as used in provider files, the CLI and the decision log, in a fixed order.
    public static let named: [(name: String, capability: Capabilities)] = [
        ("tools", .tools), ("vision", .vision), ("json_schema", .jsonSchema),
        ("streaming", .streaming), ("reasoning", .reasoning),
    ]

    public init?(names: some Sequence<String>) {
        var result: Capabilities = []
        for name in names {
            guard let match = Self.named.first(where: { $0.name == name }) else { return nil }
            result.insert(match.capability)
        }
        self = result
    }

    public var names: [String] { Self.named.filter { contains($0.capability) }.map(\.name) }
}
