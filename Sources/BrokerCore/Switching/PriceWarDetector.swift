public import struct Foundation.Date
public import struct Foundation.TimeInterval

/// Finds price wars in a sequence of price moves. Pure: the moves and every setting are passed in.
///
/// A war opens with a cut (the first mover) and takes every later cut in the same quality
/// band within `window` of that first cut (the followers). A cut outside the window opens
/// the next war. With `minimumMovers` 1 (the default) a lone cut is a war of one: a CFO
/// still wants to see an 80% cut nobody followed.
///
/// ```swift
/// let report = PriceWarDetector().detect(moves)
/// report.wars.first?.firstMover?.offer   // e.g. openai/o3
/// ```
public struct PriceWarDetector: Sendable {
    /// Flags that mark a move as a data artefact: likely typo or unit fixes (≥ 20× jumps),
    /// changes undone within 30 days (and the undoing), and moves to or from a zero price
    /// (usually a free preview ending).
    public static let artefactFlags: Set<String> = [
        "extreme_ratio_ge20x", "reverted_within_30d", "is_revert", "from_zero", "to_zero",
    ]

    public var window: TimeInterval
    public var bands: QualityBands
    /// Flags whose moves are set aside; empty keeps every move.
    public var setAsideFlags: Set<String>
    /// Cuts shallower than this are ignored (rounding noise), in basis points.
    public var minimumDepthBasisPoints: Int
    public var minimumMovers: Int

    public init(
        window: TimeInterval = 30 * 86_400, bands: QualityBands = QualityBands(),
        setAsideFlags: Set<String> = PriceWarDetector.artefactFlags, minimumDepthBasisPoints: Int = 100,
        minimumMovers: Int = 1
    ) {
        self.window = window
        self.bands = bands
        self.setAsideFlags = setAsideFlags
        self.minimumDepthBasisPoints = minimumDepthBasisPoints
        self.minimumMovers = minimumMovers
    }

    public func detect(_ moves: [PriceMove]) -> PriceWarReport {
        var kept: [PriceMove] = []
        var setAside: [String: Int] = [:]
        for move in moves {
            // A move with several artefact flags is counted once, under its first flag by name.
            if let flag = move.flags.intersection(setAsideFlags).sorted().first {
                setAside[flag, default: 0] += 1
            } else {
                kept.append(move)
            }
        }
        kept.sort { ($0.at, $0.offer) < ($1.at, $1.offer) }
        var open: [String: [PriceMove]] = [:]
        var wars: [PriceWar] = []
        for cut in kept where cut.kind == .cut && cut.depthBasisPoints >= minimumDepthBasisPoints {
            let band = bands.band(quality: cut.quality, model: cut.model)
            if let current = open[band], let first = current.first, cut.at.timeIntervalSince(first.at) <= window {
                open[band]!.append(cut)
            } else {
                if let current = open[band] { wars.append(PriceWar(band: band, moves: current)) }
                open[band] = [cut]
            }
        }
        wars += open.map { PriceWar(band: $0.key, moves: $0.value) }
        wars = wars.filter { Set($0.moves.map(\.offer)).count >= minimumMovers }
        wars.sort { ($0.start, $0.band) < ($1.start, $1.band) }
        return PriceWarReport(wars: wars, moves: kept, setAside: setAside)
    }
}

