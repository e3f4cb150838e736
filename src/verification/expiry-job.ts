import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import { AssessmentLifecycle } from '../assessments/assessment-lifecycle';
import { TenantContext } from '../common/tenant-context';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import type { RegisterEntry } from '../register/entities/register-entry.entity';
import { Register } from '../register/register';
import type { Organization } from '../tenancy/entities/organization.entity';
import { OrganizationsService } from '../tenancy/organizations.service';
import { daysBetween, todayUtc } from './validity';

/** The statuses in which a verification can still expire. */
const IN_FORCE: readonly RegisterEntry['status'][] = ['verified', 'suspended'];

/** Reminders go this many days before a verification's last day: the nearest one still ahead, once each. */
export const REMINDER_DAYS = [7, 30, 60] as const;

export interface ExpiryRun {
  /** False when another instance held the lock, so this one did nothing. */
  ran: boolean;
  expired: string[];
  reminded: Array<{ entryId: string; days: number }>;
}

/**
 * Keeps verified status honest over time: expires register entries after their last valid day and
 * reminds providers to renew. Any number of instances may run it; a PostgreSQL advisory lock lets one
 * of them do the work at a time.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryJob.name);

  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly assessments: SubmittedAssessments,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly register: Register,
    private readonly organizations: OrganizationsService,
    private readonly notifications: Notifications,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.expiryJobSeconds;
    if (seconds === 0) return;
    const timer = setInterval(() => {
      this.run().catch((error: unknown) => this.logger.error(error instanceof Error ? error.stack : String(error)));
    }, seconds * 1000);
    timer.unref();
    this.scheduler.addInterval(ExpiryJob.name, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', ExpiryJob.name)) this.scheduler.deleteInterval(ExpiryJob.name);
  }

  /** One pass, as of `today` (YYYY-MM-DD), in one transaction: all of it happens, or none. */
  run(today: string = todayUtc()): Promise<ExpiryRun> {
    return this.tx.runScoped({}, async () => {
      const [{ locked }] = (await this.tx.manager.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('adhere:expiry-job', 0)) AS locked`)) as Array<{ locked: boolean }>;
      if (!locked) return { ran: false, expired: [], reminded: [] };
      const due = await this.register.due(today);
      const expiring = await this.register.expiringWithin(today, Math.max(...REMINDER_DAYS));
      // Every organization the run names, read once: the monitoring bodies it acts for, the providers it tells.
      const organizations = await this.organizations.byIds([...due, ...expiring].flatMap((entry) => [entry.monitoringBodyId, entry.providerId]));
      const expired: string[] = [];
      for (const entry of due) {
        if (await this.actFor(organizations.get(entry.monitoringBodyId)!, () => this.expire(entry, today, organizations))) expired.push(entry.id);
      }
      const reminded: ExpiryRun['reminded'] = [];
      for (const entry of expiring) {
        const days = REMINDER_DAYS.find((threshold) => daysBetween(today, entry.validUntil) <= threshold)!;
        await this.remind(entry, days, organizations);
        reminded.push({ entryId: entry.id, days });
      }
      return { ran: true, expired, reminded };
    });
  }

  /** Expires the entry listed as due, unless a renewal took it over or a revocation ended it since; returns whether it did. */
  private async expire(listed: RegisterEntry, today: string, organizations: Map<string, Organization>): Promise<boolean> {
    const assessment = await this.assessments.addressed(listed.assessmentId, { lock: 'update' });
    const entry = await this.register.entryOf(assessment.id, { lock: true });
    if (!entry || !IN_FORCE.includes(entry.status) || entry.validUntil >= today) return false;
    await this.lifecycle.apply(assessment, 'expire', {}, { verificationId: entry.verificationId, validUntil: entry.validUntil });
    await this.register.changeStatus(entry, 'expired', 'expired', `Valid until ${entry.validUntil}; not renewed in time.`);
    await this.notifications.enqueue({
      event: 'expired',
      organizationId: entry.providerId,
      to: { roles: ['owner', 'editor'] },
      subject: `Verification ${entry.verificationId} has expired`,
      text: `Verification ${entry.verificationId} was valid until ${entry.validUntil} and has now expired; the public register says so. Start a renewal from the verified assessment to be verified again.`,
      link: `/app/${organizations.get(entry.providerId)!.slug}/assessments/${entry.assessmentId}`,
      key: `expired:${entry.id}:${entry.validUntil}`,
    });
    return true;
  }

  private async remind(entry: RegisterEntry, days: number, organizations: Map<string, Organization>): Promise<void> {
    await this.notifications.enqueue({
      event: 'expiring_soon',
      organizationId: entry.providerId,
      to: { roles: ['owner', 'editor'] },
      subject: `Verification ${entry.verificationId} expires within ${days} days`,
      text: `Verification ${entry.verificationId} is valid until ${entry.validUntil}. Start a renewal from the verified assessment: your answers and evidence are carried forward, and the current verification stays valid until the new decision or its last day.`,
      link: `/app/${organizations.get(entry.providerId)!.slug}/assessments/${entry.assessmentId}`,
      key: `expiring_soon:${entry.id}:${entry.validUntil}:${days}`,
    });
  }

  /** Acts as the monitoring body of the entry, as the system: row-level security and the audit log see it so. */
  private async actFor<T>(organization: Organization, work: () => Promise<T>): Promise<T> {
    this.context.setOrganization({ id: organization.id, slug: organization.slug, name: organization.name, kind: organization.kind });
    await this.tx.changeScope({ organizationId: organization.id });
    return work();
  }
}
