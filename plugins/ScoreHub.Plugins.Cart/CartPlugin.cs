using ScoreHub.Plugins.Cart;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(CartPlugin))]

namespace ScoreHub.Plugins.Cart;

/// <summary>
/// The entry type the host creates: Shopify checkout webhooks and a generic cart API, turned into
/// <c>cart.updated</c>, <c>checkout.completed</c> and, when a cart is left, <c>cart.abandoned</c>.
/// The work is in <see cref="CartSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class CartPlugin : ISignalSource
{
    private readonly CartSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
