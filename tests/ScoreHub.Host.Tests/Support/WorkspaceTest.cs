namespace ScoreHub.Host.Tests.Support;

/// <summary>A test class with its own in-memory host and one workspace created through the API.</summary>
public abstract class WorkspaceTest : IAsyncLifetime
{
    protected ScoreHubApp App { get; } = new();

    protected TestWorkspace Ws { get; private set; } = null!;

    public async Task InitializeAsync() => Ws = await App.CreateWorkspaceAsync();

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
