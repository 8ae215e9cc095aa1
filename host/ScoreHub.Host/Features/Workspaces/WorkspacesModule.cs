using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using ScoreHub.Host.Core.Workspaces;

namespace ScoreHub.Host.Features.Workspaces;

/// <summary>Workspaces and their keys: the <c>ApiKey</c> scheme every other feature authorizes with.</summary>
internal static class WorkspacesModule
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddSingleton<KeyStore>();
        services.AddSingleton<IValidator<CreateWorkspace>, CreateWorkspaceValidator>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        return services;
    }
}
