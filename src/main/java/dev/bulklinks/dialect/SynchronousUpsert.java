package dev.bulklinks.dialect;

import dev.bulklinks.intake.Intake;
import dev.bulklinks.link.LinkItem;
import dev.bulklinks.project.Projects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The synchronous bulk upsert of the SAS and Propeller routes: a dialect's links go to one upsert job of
 * the engine, and its answer is made from that job's results, one per link in input order, once the job
 * is done (or 202 past the wait: {@link JobWait}). When every link was refused before a job, it answers
 * at once.
 */
@ApplicationScoped
public class SynchronousUpsert {

    /** Makes a dialect's answer from the results of its links, in input order (none when no job ran). */
    public interface Answer {
        Object of(List<JobResults.Item> results);
    }

    private final Intake intake;
    private final JobWait wait;
    private final JobResults results;
    private final Projects projects;

    SynchronousUpsert(Intake intake, JobWait wait, JobResults results, Projects projects) {
        this.intake = intake;
        this.wait = wait;
        this.results = results;
        this.projects = projects;
    }

    /**
     * Submits {@code links} (ends named as {@code lookupKey} says) as an upsert job of {@code project} and
     * answers with {@code answer} of its results.
     */
    public CompletionStage<Response> run(String project, List<LinkItem> links, String lookupKey, String prefer,
            String idempotencyKey, Answer answer) throws SQLException {
        if (links.isEmpty()) {
            // Every link was refused before a job: nothing to wait for.
            projects.require(project);
            return CompletableFuture.completedFuture(Response.ok(answer.of(List.of())).build());
        }
        Intake.Accepted accepted = intake.submitLinks(project, links, "upsert", lookupKey, false, idempotencyKey);
        return wait.answer(project, accepted, prefer, job -> {
            try {
                return Response.ok(answer.of(results.of(job))).build();
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the results of job " + job.token() + " failed", e);
            }
        });
    }
}
