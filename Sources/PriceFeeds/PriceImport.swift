public import BrokerCore

/// The kinds of price file the importers read.
public enum PriceImportFormat: String, Sendable, CaseIterable {
    /// LiteLLM's `model_prices_and_context_window.json`.
    case litellm
    /// OpenRouter's `GET /api/v1/models` response.
    case openrouter
    /// The dated price-history CSV derived from the LiteLLM file's git history.
    case history
}

/// Everything one price file yields: priced chat offers, plus a count of what was left out
/// and why. Parsers return this whole or throw; there is no partial import.
public struct PriceImport: Sendable {
    public var format: PriceImportFormat
    /// The file name or URL read; every price version also records where it came from.
    public var source: String
    /// Priced chat offers in file order. History files hold several versions per offer.
    public var offers: [ImportedOffer]
    /// Entries deliberately not imported: reason → count, e.g. `"mode embedding": 124`.
    public var skipped: [String: Int]

    public init(format: PriceImportFormat, source: String, offers: [ImportedOffer] = [], skipped: [String: Int] = [:]) {
        self.format = format
        self.source = source
        self.offers = offers
        self.skipped = skipped
    }

    /// Every offer's price versions, oldest first (file order among versions of the same day).
    ///
    /// Meant for history imports, where one offer has a version per observed change.
    public func versionsByOffer() -> [OfferID: [PriceVersion]] {
        var result: [OfferID: [PriceVersion]] = [:]
        for offer in offers { result[offer.id, default: []].append(offer.price) }
        // Swift's sort is stable, so same-day versions keep their file order.
        return result.mapValues { versions in versions.sorted { $0.effectiveAt < $1.effectiveAt } }
    }

    mutating func skip(_ reason: String) { skipped[reason, default: 0] += 1 }
}

/// What an importer made of one entry of a file.
enum EntryOutcome {
    case imported(ImportedOffer)
    /// Deliberately left out, with the reason counted in ``PriceImport/skipped``.
    case skipped(String)
}

/// One priced offer read from a file: who sells what, what the model can do, and its price.
public struct ImportedOffer: Sendable, Hashable {
    /// Provider = LiteLLM's `litellm_provider` or OpenRouter's vendor prefix; model = the
    /// LiteLLM key or the rest of the OpenRouter id.
    public var id: OfferID
    /// Family = the model id, no quality score. A context or output limit the file does not
    /// give is 0, which routing reads as "fits nothing" rather than guessing a size.
    public var model: Model
    /// `effectiveAt` is the import's date (history rows: `observed_at`), `source` is set.
    public var price: PriceVersion
    /// What changed, for history rows only.
    public var change: PriceChange?

    public init(id: OfferID, model: Model, price: PriceVersion, change: PriceChange? = nil) {
        self.id = id
        self.model = model
        self.price = price
        self.change = change
    }
}

/// How a history row relates to the offer's previous row.
public struct PriceChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The offer's first priced appearance.
        case new
        /// The input or output price differs from the previous row.
        case changed
    }

    public var kind: Kind
    /// The prices before this row; unknown for `new` rows.
    public var previousInput: Price
    public var previousOutput: Price
    /// Data-quality flags, e.g. `initial_snapshot`, `extreme_ratio_ge20x`, `is_revert`.
    public var flags: Set<String>

    public init(kind: Kind, previousInput: Price = .unknown, previousOutput: Price = .unknown, flags: Set<String> = []) {
        self.kind = kind
        self.previousInput = previousInput
        self.previousOutput = previousOutput
        self.flags = flags
    }
}
