using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart.Tests;

public sealed class CartPluginTests
{
    private readonly CartSource _plugin = new();

    [Fact]
    public void Manifest_names_the_plugin_its_settings_and_the_sdk_it_was_built_against()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.cart", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(PluginKinds.SignalSource, manifest.Kinds);
        Assert.Equal(["clientSecret", "abandonAfter"], manifest.Settings.Select(s => s.Name));
        Assert.True(manifest.Settings[0].Secret);
        Assert.All(manifest.Settings, s => Assert.False(s.Required));
    }

    [Fact]
    public void Assembly_marker_names_the_public_entry_type()
    {
        var marker = typeof(CartSource).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);

        Assert.Equal(typeof(CartSource), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"clientSecret":"shpss_0123456789abcdef","abandonAfter":1}""")]
    [InlineData("""{"abandonAfter":43200}""")]
    public void Settings_are_valid_without_a_secret_and_with_any_delay_up_to_thirty_days(string settings)
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse(settings)).IsValid);
    }

    [Theory]
    [InlineData("""{"clientSecret":"short"}""", "clientSecret", "'clientSecret' must be at least 16 characters.")]
    [InlineData("""{"clientSecret":42}""", "clientSecret", "'clientSecret' must be a string.")]
    [InlineData("""{"abandonAfter":0}""", "abandonAfter", "'abandonAfter' must be a whole number of minutes from 1 to 43200.")]
    [InlineData("""{"abandonAfter":1.5}""", "abandonAfter", "'abandonAfter' must be a whole number of minutes from 1 to 43200.")]
    [InlineData("""{"abandonAfter":43201}""", "abandonAfter", "'abandonAfter' must be a whole number of minutes from 1 to 43200.")]
    [InlineData("""{"abandonAfter":"60"}""", "abandonAfter", "'abandonAfter' must be a number.")]
    public void Bad_setting_is_a_field_error(string settings, string field, string message)
    {
        var error = Assert.Single(_plugin.ValidateSettings(PluginSettings.Parse(settings)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }
}
