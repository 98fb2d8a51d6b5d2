public import struct Foundation.Date

/// One change of an offer's list price, as the war detector reads it: when, from what to
/// what, and how deep. Pure value; built from two consecutive price versions.
///
/// Depth is measured on a blended price of three input tokens to one output token (the
/// usual blend for chat traffic), so a cut of input alone still counts, weighted.
public struct PriceMove: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case cut
        case raise
    }

    public var offer: OfferID
    /// The model identity the offer sells (hosts of one model share it).
    public var model: String
    /// The model's quality score, if it has one; nil: the model competes only with itself.
    public var quality: Int?
    public var at: Date
    /// Nano-USD per Mtok before and after.
    public var inputBefore: Int64
    public var outputBefore: Int64
    public var inputAfter: Int64
    public var outputAfter: Int64
    /// Data-quality flags carried by the source row (e.g. `extreme_ratio_ge20x`, `is_revert`).
    public var flags: Set<String>

    public init(
        offer: OfferID, model: String, quality: Int?, at: Date, inputBefore: Int64, outputBefore: Int64,
        inputAfter: Int64, outputAfter: Int64, flags: Set<String> = []
    ) {
        self.offer = offer
        self.model = model
        self.quality = quality
        self.at = at
        self.inputBefore = inputBefore
        self.outputBefore = outputBefore
        self.inputAfter = inputAfter
        self.outputAfter = outputAfter
        self.flags = flags
    }

    /// The move between two versions of one offer, or nil when either side has an unknown
    /// price or the blended price did not change.
    public init?(offer: OfferID, model: String, quality: Int?, from old: PriceVersion, to new: PriceVersion, flags: Set<String> = []) {
        guard let inputBefore = old.input.nanoUSDPerMtok, let outputBefore = old.output.nanoUSDPerMtok,
            let inputAfter = new.input.nanoUSDPerMtok, let outputAfter = new.output.nanoUSDPerMtok
        else { return nil }
        self.init(
            offer: offer, model: model, quality: quality, at: new.effectiveAt, inputBefore: inputBefore,
            outputBefore: outputBefore, inputAfter: inputAfter, outputAfter: outputAfter, flags: flags)
        if blendedBefore == blendedAfter { return nil }
    }

    /// 3 × input + output, nano-USD per 4 Mtok: only ratios of it are used.
    public var blendedBefore: Int128 { 3 * Int128(inputBefore) + Int128(outputBefore) }
    public var blendedAfter: Int128 { 3 * Int128(inputAfter) + Int128(outputAfter) }

    public var kind: Kind { blendedAfter < blendedBefore ? .cut : .raise }

    /// How deep the move is, in basis points of the blended price before it (always ≥ 0;
    /// 8,000 = an 80% cut). A move from a price of zero has no depth: it is reported as 0.
    public var depthBasisPoints: Int {
        guard blendedBefore > 0 else { return 0 }
        let change = blendedBefore - blendedAfter
        return Int((change < 0 ? -change : change) * 10_000 / blendedBefore)
    }
}
