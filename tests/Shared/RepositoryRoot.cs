namespace RelaySigner.Testing;

/// <summary>Locates files of the repository from a test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string KeysExample => System.IO.Path.Combine(Path, "keys.example");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RelaySigner.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RelaySigner.sln not found above " + AppContext.BaseDirectory);
    }
}
