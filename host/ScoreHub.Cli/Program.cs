namespace ScoreHub.Cli;

/// <summary>The <c>scorehub</c> command (an explicit class, not top-level statements: the host's tests reference this
/// assembly and the host's global <c>Program</c> side by side).</summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) =>
        Commands.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, handler: null);
}
