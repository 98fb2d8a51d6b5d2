public import struct Foundation.Data
public import struct Foundation.Date
public import struct Foundation.URL

/// A pure parser from the bytes of one price file to a ``PriceImport``.
///
/// ```swift
/// let prices = try LiteLLMImporter(effectiveAt: now).parse(contentsOf: fileURL)
/// ```
public protocol PriceImporter: Sendable {
    static var format: PriceImportFormat { get }

    /// Parses a whole file, or throws without yielding anything.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - source: the file name or URL, recorded on the import and its errors.
    func parse(_ data: Data, source: String) throws(ImportError) -> PriceImport
}

extension PriceImporter {
    /// Reads and parses a file; the source recorded is its file name (or the URL if not a file).
    public func parse(contentsOf url: URL) throws(ImportError) -> PriceImport {
        let source = url.isFileURL ? url.lastPathComponent : url.absoluteString
        let data: Data
        do {
            data = url.isFileURL ? try LocalFile.data(url.path) : try Data(contentsOf: url)
        } catch {
            throw ImportError(file: source, location: .file, reason: "\(error)")
        }
        return try parse(data, source: source)
    }
}

extension PriceImportFormat {
    /// The importer for files of this format, e.g. for a `--format` option.
    /// - Parameter effectiveAt: when the prices take effect; history files carry their own dates.
    public func importer(effectiveAt: Date) -> any PriceImporter {
        switch self {
        case .litellm: LiteLLMImporter(effectiveAt: effectiveAt)
        case .openrouter: OpenRouterImporter(effectiveAt: effectiveAt)
        case .history: PriceHistoryImporter()
        }
    }
}
