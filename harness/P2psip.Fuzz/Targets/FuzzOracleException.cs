namespace P2psip.Fuzz.Targets;

/// <summary>
/// Thrown by a target when the code under test returned normally but broke one of its own promises
/// (for example decode(bytes) succeeded and encode gave different bytes). It makes such a bug a crash
/// that AFL++ records, like any other escaping exception.
/// </summary>
public sealed class FuzzOracleException(string message) : Exception(message);
