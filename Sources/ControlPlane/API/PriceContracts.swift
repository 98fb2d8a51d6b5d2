import BrokerCore
public import BrokerStore
public import PriceFeeds
import Foundation

/// `tokenbroker prices import --json`.
public struct ImportSummary: Codable, Sendable, Equatable {
    public var format: String
    public var source: String
    public var entriesRead: Int
    public var skipped: [String: Int]
    public var priceVersionsAppended: Int
    public var priceVersionsUnchanged: Int
    public var offersAdded: Int
    public var modelsAdded: Int

    public init(parsed: PriceImport, report: ImportReport) {
        format = parsed.format.rawValue
        source = parsed.source
        entriesRead = parsed.offers.count
        skipped = parsed.skipped
        priceVersionsAppended = report.priceVersionsAppended
        priceVersionsUnchanged = report.priceVersionsUnchanged
        offersAdded = report.offersAdded
        modelsAdded = report.modelsAdded
    }

    enum CodingKeys: String, CodingKey {
        case format, source, skipped
        case entriesRead = "entries_read"
        case priceVersionsAppended = "price_versions_appended"
        case priceVersionsUnchanged = "price_versions_unchanged"
        case offersAdded = "offers_added"
        case modelsAdded = "models_added"
    }
}

/// One row of `tokenbroker prices history`.
public struct PriceHistoryRow: Codable, Sendable, Equatable {
    public var provider: String
    public var model: String
    public var effectiveAt: String
    public var inputUSDPerMtok: String?
    public var cachedInputUSDPerMtok: String?
    public var outputUSDPerMtok: String?
    public var source: String

    public init(_ entry: PriceHistoryEntry) {
        provider = entry.offer.provider
        model = entry.offer.model
        effectiveAt = entry.version.effectiveAt.formatted(.iso8601)
        inputUSDPerMtok = entry.version.input.usdPerMtokString
        cachedInputUSDPerMtok = entry.version.cachedInput.usdPerMtokString
        outputUSDPerMtok = entry.version.output.usdPerMtokString
        source = entry.version.source
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, source
        case effectiveAt = "effective_at"
        case inputUSDPerMtok = "input_usd_per_mtok"
        case cachedInputUSDPerMtok = "cached_input_usd_per_mtok"
        case outputUSDPerMtok = "output_usd_per_mtok"
    }
}

/// `POST /v1/prices`: a new price version for one offer (`tokenbroker prices set`).
public struct PriceSetRequest: Codable, Sendable, Equatable {
    public var provider: String
    public var model: String
    public var inputUSDPerMtok: String
    public var outputUSDPerMtok: String
    public var cachedInputUSDPerMtok: String?
    /// ISO 8601; default: now.
    public var effectiveAt: String?
    public var source: String?

    public init(
        provider: String, model: String, inputUSDPerMtok: String, outputUSDPerMtok: String, cachedInputUSDPerMtok: String?,
        effectiveAt: String?, source: String?
    ) {
        self.provider = provider
        self.model = model
        self.inputUSDPerMtok = inputUSDPerMtok
        self.outputUSDPerMtok = outputUSDPerMtok
        self.cachedInputUSDPerMtok = cachedInputUSDPerMtok
        self.effectiveAt = effectiveAt
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, source
        case inputUSDPerMtok = "input_usd_per_mtok"
        case outputUSDPerMtok = "output_usd_per_mtok"
        case cachedInputUSDPerMtok = "cached_input_usd_per_mtok"
        case effectiveAt = "effective_at"
    }
}

/// The answer to `POST /v1/prices`.
public struct PriceSetResult: Codable, Sendable, Equatable {
    /// False when the version in force already had these prices (nothing was written).
    public var appended: Bool
    public var version: PriceHistoryRow

    public init(appended: Bool, version: PriceHistoryRow) {
        self.appended = appended
        self.version = version
    }
}
