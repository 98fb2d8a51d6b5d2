import BrokerCore
public import struct Foundation.Data

/// Reads the dated price-history CSV (`shared/data/price_history.csv`): one row per offer's
/// first priced appearance and per later change of its input or output price.
///
/// Rows come back in file order, which is date order; ``PriceImport/versionsByOffer()``
/// groups them per offer. Each row's price takes effect at midnight UTC of `observed_at`
/// and records its source as `litellm via <source_repo>@<first 12 of source_commit>`.
///
/// The file carries no capabilities or context sizes, so each offer's model has none
/// (context 0): merge with the catalogue's model before routing on it.
public struct PriceHistoryImporter: PriceImporter {
    public static let format = PriceImportFormat.history

    /// The header the file must start with, in this order.
    public static let columns = [
        "observed_at", "provider", "model", "input_usd_per_mtok", "output_usd_per_mtok", "source_commit",
        "source_repo", "change_type", "prev_input_usd_per_mtok", "prev_output_usd_per_mtok", "flags",
    ]

    public init() {}

    public func parse(_ data: Data, source: String) throws(ImportError) -> PriceImport {
        let records = try CSVReader.records(data, file: source)
        guard let header = records.first else { throw ImportError(file: source, location: .file, reason: "empty file") }
        try checkHeader(header, file: source)
        var result = PriceImport(format: Self.format, source: source)
        for record in records.dropFirst() {
            let row = Row(record: record, file: source)
            guard record.fields.count == Self.columns.count else {
                throw row.error(nil, "expected \(Self.columns.count) columns, found \(record.fields.count)")
            }
            switch try offer(row) {
            case .imported(let offer): result.offers.append(offer)
            case .skipped(let reason): result.skip(reason)
            }
        }
        return result
    }

    private func checkHeader(_ header: CSVRecord, file: String) throws(ImportError) {
        for (offset, expected) in Self.columns.enumerated() where header.fields[safe: offset] != expected {
            let found = header.fields[safe: offset].map { "\"\($0)\"" } ?? "nothing"
            throw ImportError(
                file: file, location: .csv(line: header.line, column: nil),
                reason: "header column \(offset + 1) should be \(expected), found \(found)")
        }
        guard header.fields.count == Self.columns.count else {
            throw ImportError(
                file: file, location: .csv(line: header.line, column: nil),
                reason: "header has \(header.fields.count) columns, expected \(Self.columns.count)")
        }
    }

    func offer(_ row: Row) throws(ImportError) -> EntryOutcome {
        let day = row["observed_at"]
        guard let effectiveAt = DateParsing.calendarDay(day) else {
            throw row.error("observed_at", "not a YYYY-MM-DD date from \(DateParsing.years.lowerBound) to \(DateParsing.years.upperBound): \"\(day)\"")
        }
        let provider = try row.required("provider")
        let modelID = try row.required("model")
        let input = try row.price("input_usd_per_mtok")
        let output = try row.price("output_usd_per_mtok")
        guard input.isKnown || output.isKnown else { return .skipped("no token price") }

        let commit = try row.required("source_commit")
        guard commit.allSatisfy(\.isHexDigit) else { throw row.error("source_commit", "not a commit hash: \"\(commit)\"") }
        let repository = try row.required("source_repo")
        let kindText = row["change_type"]
        guard let kind = PriceChange.Kind(rawValue: kindText) else {
            throw row.error("change_type", "expected new or changed, found \"\(kindText)\"")
        }
        let change = PriceChange(
            kind: kind, previousInput: try row.price("prev_input_usd_per_mtok"),
            previousOutput: try row.price("prev_output_usd_per_mtok"),
            flags: Set(row["flags"].split(separator: ";").map { String($0) }))

        let price = PriceVersion(
            input: input, output: output, effectiveAt: effectiveAt,
            source: "litellm via \(repository)@\(commit.prefix(12))")
        let model = Model(id: modelID, family: modelID, advertisedContext: 0, maxOutputTokens: 0)
        return .imported(
            ImportedOffer(id: OfferID(provider: provider, model: modelID), model: model, price: price, change: change))
    }

    /// One data row, read by column name; errors name the row's line and the column.
    struct Row {
        let record: CSVRecord
        let file: String

        subscript(column: String) -> String {
            guard let index = PriceHistoryImporter.columns.firstIndex(of: column) else {
                preconditionFailure("no column \(column) in the history format")
            }
            return record.fields[index]
        }

        func error(_ column: String?, _ reason: String) -> ImportError {
            ImportError(file: file, location: .csv(line: record.line, column: column), reason: reason)
        }

        func required(_ column: String) throws(ImportError) -> String {
            let value = self[column]
            guard !value.isEmpty else { throw error(column, "empty") }
            return value
        }

        /// USD per Mtok; empty is unknown, 0 is free.
        func price(_ column: String) throws(ImportError) -> Price {
            let text = self[column]
            if text.isEmpty { return .unknown }
            guard let price = PriceText.parse(text, unit: .usdPerMtok) else {
                throw error(column, "not a price in USD per Mtok: \"\(text)\"")
            }
            return price
        }
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
