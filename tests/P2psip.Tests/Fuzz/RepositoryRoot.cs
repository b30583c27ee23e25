namespace P2psip.Tests.Fuzz;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds the solution.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "P2psipConformance.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no P2psipConformance.sln above {AppContext.BaseDirectory}");
    }
}
