import { DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ApiKeyModule } from './api-key/api-key.module';
import { ApplicationModule } from './application/application.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClientCredentialsModule } from './client-credentials/client-credentials.module';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { EncryptionModule } from './encryption/encryption.module';
import { EntityModule } from './entity/entity.module';
import { GroupModule } from './group/group.module';
import { IpAclModule } from './ip-acl/ip-acl.module';
import { JwtModule } from './jwt/jwt.module';
import { KeyCacheModule } from './key-cache/key-cache.module';
import { KickstartModule } from './kickstart/kickstart.module';
import { LoginModule } from './login/login.module';
import { MetricsModule } from './metrics/metrics.module';
import { OAuth2Module } from './oauth2/oauth2.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RefreshTokenModule } from './refresh-token/refresh-token.module';
import { PasswordModule } from './password/password.module';
import { RegistrationModule } from './registration/registration.module';
import { ScimModule } from './scim/scim.module';
import { SigningKeyModule } from './signing-key/signing-key.module';
import { StatusModule } from './status/status.module';
import { SystemConfigurationModule } from './system-configuration/system-configuration.module';
import { TenantModule } from './tenant/tenant.module';
import { UserModule } from './user/user.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, env),
        DatabaseModule,
        EncryptionModule,
        MetricsModule,
        KeyCacheModule,
        RateLimitModule,
        AuditModule,
        TenantModule,
        IpAclModule,
        SigningKeyModule,
        RefreshTokenModule,
        JwtModule,
        ClientCredentialsModule,
        DiscoveryModule,
        AuthModule,
        ApiKeyModule,
        ApplicationModule,
        PasswordModule,
        UserModule,
        RegistrationModule,
        GroupModule,
        EntityModule,
        LoginModule,
        KickstartModule,
        ClusterModule,
        StatusModule,
        SystemConfigurationModule,
        OAuth2Module,
        ScimModule,
        AdminModule,
      ],
    };
  }
}
