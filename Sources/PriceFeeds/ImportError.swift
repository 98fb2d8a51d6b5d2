/// Why a price file was rejected, and where: every import is all-or-nothing, so one of these
/// means nothing from the file was used.
///
/// ```swift
/// // price_history.csv: line 7, column input_usd_per_mtok: not a decimal number: "2,5x"
/// ```
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the file the problem is.
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        /// The file as a whole (unreadable, empty, wrong top-level shape).
        case file
        /// A byte position in the text, for malformed JSON; both 1-based.
        case text(line: Int, column: Int)
        /// A JSON path such as `["gpt-4o"].input_cost_per_token`.
        case jsonPath(String)
        /// A CSV record (1-based line where it starts), and the column's header name if known.
        case csv(line: Int, column: String?)

        public var description: String {
            switch self {
            case .file: "file"
            case .text(let line, let column): "line \(line), column \(column)"
            case .jsonPath(let path): "at \(path)"
            case .csv(let line, nil): "line \(line)"
            case .csv(let line, let column?): "line \(line), column \(column)"
            }
        }
    }

    /// The file name or URL the import was given as its source.
    public var file: String
    public var location: Location
    /// What is wrong, in words.
    public var reason: String

    public init(file: String, location: Location, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        location == .file ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
    }
}
