/// The version `tokenbroker status` reports.
public enum ControlVersion {
    public static let current = "0.1.0"
}
