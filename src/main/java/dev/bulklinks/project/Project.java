package dev.bulklinks.project;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A namespace: every entity, link type, link and job belongs to one. */
@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;
}
