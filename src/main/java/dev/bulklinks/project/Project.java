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

    /**
     * What {@code POST .../records/bulk/link} uses when the request names no link type: a bare name
     * ({@link Projects#DEFAULT_LINK_TYPE} unless set), each link's type then being
     * {@code name|<parent's type>|<record's type>}; or a whole link type; null when none.
     */
    @Column(name = "default_link_type")
    public String defaultLinkType;
}
