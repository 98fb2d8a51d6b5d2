public import struct Foundation.Date

/// A run of cuts on offers of one quality band within a window: who moved first, who
/// followed, and how deep each cut was.
public struct PriceWar: Sendable, Hashable, Codable {
    /// The band the offers compete in (see ``QualityBands``).
    public var band: String
    public var start: Date
    public var end: Date
    /// The cuts in the order they happened (same-day cuts in offer order); the first is the
    /// first mover.
    public var moves: [PriceMove]

    public init(band: String, moves: [PriceMove]) {
        self.band = band
        self.moves = moves
        self.start = moves.first?.at ?? Date(timeIntervalSince1970: 0)
        self.end = moves.last?.at ?? start
    }

    public var firstMover: PriceMove? { moves.first }
    /// Cuts after the first mover's, including same-day ones.
    public var followers: ArraySlice<PriceMove> { moves.dropFirst() }
    /// Distinct hosts that cut.
    public var providers: [String] {
        var seen: Set<String> = []
        return moves.map(\.offer.provider).filter { seen.insert($0).inserted }
    }
    /// The deepest cut in the war, in basis points.
    public var deepestBasisPoints: Int { moves.map(\.depthBasisPoints).max() ?? 0 }
}

/// What the detector found in a price history.
public struct PriceWarReport: Sendable, Hashable, Codable {
    public var wars: [PriceWar]
    /// Every real move considered (cuts and raises), oldest first.
    public var moves: [PriceMove]
    /// Moves set aside as data artefacts rather than market events, counted by flag.
    public var setAside: [String: Int]

    public init(wars: [PriceWar], moves: [PriceMove], setAside: [String: Int]) {
        self.wars = wars
        self.moves = moves
        self.setAside = setAside
    }

    public var cuts: [PriceMove] { moves.filter { $0.kind == .cut } }
    public var raises: [PriceMove] { moves.filter { $0.kind == .raise } }
    public var setAsideCount: Int { setAside.values.reduce(0, +) }
}
