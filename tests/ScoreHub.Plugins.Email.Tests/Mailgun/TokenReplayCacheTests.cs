using ScoreHub.Plugins.Mailgun;

namespace ScoreHub.Plugins.Email.Tests.Mailgun;

public sealed class TokenReplayCacheTests
{
    private static readonly DateTimeOffset Now = Sources.Now;
    private static readonly byte[] BodyA = [1];
    private static readonly byte[] BodyB = [2];

    [Fact]
    public void Full_cache_forgets_its_oldest_token_first()
    {
        var cache = new TokenReplayCache(capacity: 2);
        cache.Record("ws", "t1", BodyA, Now, Now.AddMinutes(5));
        cache.Record("ws", "t2", BodyA, Now, Now.AddMinutes(5));
        cache.Record("ws", "t3", BodyA, Now, Now.AddMinutes(5));

        Assert.Equal(TokenReplayCache.Use.First, cache.Record("ws", "t1", BodyB, Now, Now.AddMinutes(5)));
        Assert.Equal(TokenReplayCache.Use.Replayed, cache.Record("ws", "t3", BodyB, Now, Now.AddMinutes(5)));
    }

    [Fact]
    public void Expired_token_is_forgotten()
    {
        var cache = new TokenReplayCache();
        cache.Record("ws", "t1", BodyA, Now, Now.AddMinutes(5));

        Assert.Equal(TokenReplayCache.Use.First, cache.Record("ws", "t1", BodyB, Now.AddMinutes(5), Now.AddMinutes(10)));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_token_with_different_bodies_let_exactly_one_through()
    {
        var cache = new TokenReplayCache();
        var start = new ManualResetEventSlim();
        var uses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            start.Wait();
            return cache.Record("ws", "shared", [(byte)i], Now, Now.AddMinutes(5));
        })).Append(Task.Run(() =>
        {
            start.Set();
            return TokenReplayCache.Use.SameDelivery;
        })));

        Assert.Equal(1, uses.Count(u => u == TokenReplayCache.Use.First));
        Assert.Equal(63, uses.Count(u => u == TokenReplayCache.Use.Replayed));
    }
}
