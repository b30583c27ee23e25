namespace P2psip.Adversary;

/// <summary>
/// A scenario file that cannot be used, as one line: <c>FILE:LINE: FIELD: problem</c>, FIELD being
/// the path of the offending field (<c>rules[0].actions[1].delay.ms</c>).
/// </summary>
public sealed class ScenarioFileException(string file, int line, string field, string problem)
    : Exception($"{file}:{line}: {field}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
